import type { Database } from '@berth/core';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * The header that carries a client's session token: the primary's replication position after its last
 * write. Every response with a position carries it; a request that sends it back reads no older data,
 * whichever instance serves it (see `Database.withSession`). Without replicas no token is made or needed.
 */
export const SESSION_TOKEN_HEADER = 'berth-session';

/**
 * Runs each request in a causal session of its own, seeded from the request's token, and answers with the
 * session's token. A malformed token is a 400 `VALIDATION`, before any work.
 */
export function registerSessionTokens(app: FastifyInstance, db: Database): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const sent = request.headers[SESSION_TOKEN_HEADER];
    const token = Array.isArray(sent) ? sent[0] : sent;
    let continued = false;
    try {
      // `done` continues the request inside the session: its handler's reads and writes use it.
      db.withSession(token, () => {
        continued = true;
        done();
      });
    } catch (error) {
      if (continued) throw error;
      done(
        new ApiError(
          400,
          'VALIDATION',
          `invalid ${SESSION_TOKEN_HEADER} header: send back a token this service issued`,
        ),
      );
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const token = db.sessionToken();
    if (token !== undefined) reply.header(SESSION_TOKEN_HEADER, token);
    return payload;
  });
}
