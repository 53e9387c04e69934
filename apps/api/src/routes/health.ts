import type { Database } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RETRY_AFTER_SECONDS } from '../errors.js';
import { NoQuery, errorResponses } from '../schemas/common.js';
import { Health } from '../schemas/health.js';

export interface HealthOptions {
  db: Database;
  /** Longest the health check waits for the database; the pool's acquire timeout, so it never hangs longer. */
  timeoutMs: number;
}

/** What a client reads when the database does not answer; the reason is logged, never sent. */
export const HEALTH_FAILED = 'the database did not answer';

/** Resolves with `promise`, or rejects once `ms` have passed; the late outcome is dropped, not left unhandled. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms} ms`)), ms);
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** `GET /health`: a round trip to the database, and the pool's state either way. */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, { db, timeoutMs }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Whether the database answers, and the state of the connection pool',
        querystring: NoQuery,
        response: { 200: Health, ...errorResponses(400), 503: Health },
      },
    },
    async (request, reply) => {
      try {
        await within(db.ping(), timeoutMs);
        return { status: 'ok' as const, backend: db.backend, pool: { ...db.pool.stats() } };
      } catch (error) {
        // The cause (a driver message, the database's host:port) is for the operator's log, not the client.
        request.log.warn({ err: error }, 'health check failed');
        reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS));
        return {
          status: 'unavailable' as const,
          backend: db.backend,
          pool: { ...db.pool.stats() },
          error: HEALTH_FAILED,
        };
      }
    },
  );
};
