import { Long } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { optionalNumber } from './arguments.js';
import type { CommandHandler } from './context.js';

function cursorId(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  throw new CommandError(ErrorCodes.TypeMismatch, 'cursor id must be a 64-bit integer');
}

/** `getMore`: next batch of an open cursor (id 0 in the reply once exhausted). */
const getMore: CommandHandler = (ctx) => {
  const collection = ctx.command.collection;
  if (typeof collection !== 'string')
    throw new CommandError(ErrorCodes.TypeMismatch, "'collection' must be a string");
  const cursor = ctx.server.cursors.getMore(
    cursorId(ctx.command.getMore),
    `${ctx.db}.${collection}`,
    optionalNumber(ctx.command, 'batchSize'),
  );
  return { cursor, ok: 1 };
};

/** `killCursors`: closes cursors by id. */
const killCursors: CommandHandler = (ctx) => {
  const ids = Array.isArray(ctx.command.cursors) ? ctx.command.cursors.map(cursorId) : [];
  const { killed, notFound } = ctx.server.cursors.kill(ids);
  return {
    cursorsKilled: killed.map((id) => Long.fromNumber(id)),
    cursorsNotFound: notFound.map((id) => Long.fromNumber(id)),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

/** Cursor commands, keyed by command name. */
export const cursorCommands: Record<string, CommandHandler> = { getMore, killCursors };
