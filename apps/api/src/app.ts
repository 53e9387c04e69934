import type { Database } from '@berth/core';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { discardBody } from './body-limit.js';
import { ConnectionDrain, DRAIN_TIMING, type DrainTiming } from './drain.js';
import { handleError } from './errors.js';
import { registerJsonParser } from './json-body.js';
import { createMetrics } from './metrics.js';
import { departmentRoutes } from './routes/departments.js';
import { registerDocs } from './routes/docs.js';
import { employeeRoutes } from './routes/employees.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { userRoutes } from './routes/users.js';
import { ApiError } from './api-error.js';
import { registerSessionTokens } from './session-token.js';
import { IdempotentWrites } from './idempotency/idempotent-writes.js';
import { refuseIllFormedText } from './input/well-formed.js';
import { strictValidatorCompiler } from './validation/validator-compiler.js';

/** The largest body accepted; a larger one is a 413. */
export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  /** The open database; the app never closes it (the caller owns it). */
  db: Database;
  /** A pino logger; without one the app logs nothing. */
  logger?: FastifyBaseLogger;
  /** Bound on `GET /health`'s round trip, normally `DB_ACQUIRE_TIMEOUT_MS` (default 2000). */
  healthTimeoutMs?: number;
  /** Seconds an `Idempotency-Key` is kept and replayed, normally `IDEMPOTENCY_TTL_S` (default 86400). */
  idempotencyTtlSeconds?: number;
}

const drains = new WeakMap<object, ConnectionDrain>();
const idempotentWrites = new WeakMap<object, IdempotentWrites>();

/** The idempotency-key store of an app built by `buildApp` (for tests and tools: `purgeExpired`). */
export function idempotentWritesOf(app: FastifyInstance): IdempotentWrites {
  const writes = idempotentWrites.get(app);
  if (!writes) throw new Error('not an app built by buildApp');
  return writes;
}

/**
 * Closes an app built by `buildApp` without losing a request on its way: stops accepting, serves what
 * arrives on open sockets for `timing.graceMs`, closes sockets as they become idle, destroys the rest at
 * `timing.deadlineMs`, then closes the app (its hooks and metrics). The database stays open.
 */
export async function closeGracefully(app: FastifyInstance, timing: DrainTiming = DRAIN_TIMING) {
  await drains.get(app)?.drain(timing);
  await app.close();
}

/**
 * Builds the HTTP service on an open database, without listening, so tests can run it in-process with
 * `listen({ port: 0 })`. Closing the app stops its metrics listeners; the database stays open.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    // Closing is `closeGracefully` (src/drain.ts): sockets are closed by the drain, not by Fastify. A request
    // that arrives on an open keep-alive socket while closing is served (the pool closes only after the
    // server) rather than answered with a 503 in Fastify's own, non-contract format.
    forceCloseConnections: false,
    return503OnClosing: false,
    // Long ids must reach the handler and get a 404 ("names nothing"), not the router's 414; Node's 16 KiB
    // header limit still bounds the whole URL.
    routerOptions: { maxParamLength: 16 * 1024 },
    // A URL that is not valid percent-encoding cannot name anything: a 404 like any other unknown path.
    frameworkErrors: (error, request, reply) => {
      const mapped =
        error.code === 'FST_ERR_BAD_URL' ? new ApiError(404, 'NOT_FOUND', 'no such resource') : error;
      handleError(mapped, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(strictValidatorCompiler());
  // Only JSON bodies: Fastify's built-in text/plain parser would turn a text body into a 400 instead of a 415.
  app.removeContentTypeParser('text/plain');
  // JSON bodies nesting deeper than any schema needs are refused before JSON.parse can block the loop.
  registerJsonParser(app);
  app.setErrorHandler((error, request, reply) => {
    // A 413 is answered once the rest of the body is read (bounded), so the client reads it rather than
    // a reset; Fastify has set `Connection: close` on it.
    if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return discardBody(request.raw).then(() => {
        handleError(error, request, reply);
      });
    }
    return handleError(error, request, reply);
  });
  app.setNotFoundHandler((request, reply) => {
    handleError(
      new ApiError(
        404,
        'NOT_FOUND',
        `no route for ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`,
      ),
      request,
      reply,
    );
  });

  const metrics = createMetrics(db);
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern, never the raw URL, so ids and junk paths cannot blow up the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onClose', async () => metrics.close());

  // While closing, a response tells its client the socket closes after it, so the client sends nothing more
  // on it and the server's close need not wait for the client to drop it.
  const drain = new ConnectionDrain(app.server);
  drains.set(app, drain);
  app.addHook('preClose', async () => drain.markClosing());
  app.addHook('onSend', async (request, reply, payload) => {
    if (drain.closesConnection(request.raw)) reply.header('connection', 'close');
    return payload;
  });

  // Each request reads its own writes, and those its session token names, even on a replica.
  registerSessionTokens(app, db);

  // Text no backend can store faithfully (lone surrogates) is refused before validation, the same everywhere.
  app.addHook('preValidation', refuseIllFormedText);
  const writes = new IdempotentWrites(db, {
    ttlSeconds: options.idempotencyTtlSeconds,
    onPurgeError: (error) => app.log.warn({ err: error }, 'purging expired idempotency keys failed'),
  });
  idempotentWrites.set(app, writes);
  // A purge in the background finishes before the app reports closed (the database stays open after it).
  app.addHook('onClose', async () => writes.settled());

  await registerDocs(app);
  await app.register(healthRoutes, { db, timeoutMs: options.healthTimeoutMs ?? 2000 });
  await app.register(metricsRoutes, { metrics });
  await app.register(employeeRoutes, { db, writes });
  await app.register(userRoutes, { db, writes });
  await app.register(departmentRoutes, { db, writes });
  return app;
}
