import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { lazySerializer } from './lazy-compile.js';

/** Fastify's own response serializers (fast-json-stringify, same options), each compiled at its first use. */
const eager = SerializerSelector();

/**
 * The `schemaController.compilersFactory.buildSerializer` of the app: Fastify's default factory, with each
 * route's serializer compiled when its route first answers (lazy-compile.ts), not while the app starts.
 */
export const lazySerializerFactory: typeof eager = (externalSchemas, options) => {
  const compile = eager(externalSchemas, options);
  return (route) => lazySerializer(() => compile(route));
};
