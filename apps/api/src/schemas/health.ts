import { Type } from '@sinclair/typebox';

export const PoolStats = Type.Object({
  max: Type.Integer(),
  total: Type.Integer(),
  idle: Type.Integer(),
  inUse: Type.Integer(),
  waiting: Type.Integer(),
});

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  backend: Type.String({ examples: ['pglite'] }),
  pool: PoolStats,
  error: Type.Optional(Type.String()),
});
