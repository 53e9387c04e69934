import { type Database, connect } from '@berth/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { ENTITIES } from '../../../src/entities.js';
import { HEALTH_FAILED } from '../../../src/routes/health.js';
import type { GetContext } from '../support/context.js';
import { Http } from '../support/http.js';
import type { Json } from '../support/http.js';

/**
 * A second app on the same database with a one-connection pool and a short acquire deadline, so the
 * 503 paths can be driven for real: a held connection, then a closed pool.
 */
export function unavailableTests(ctx: GetContext): void {
  describe('503 UNAVAILABLE', () => {
    let db: Database;
    let app: FastifyInstance;
    let http: Http;

    beforeAll(async () => {
      const { databaseUrl } = ctx();
      db = await connect(databaseUrl, {
        entities: ENTITIES,
        pool: { max: 1, acquireTimeoutMs: 150 },
        importAdapter: (name) => import(name),
      });
      app = await buildApp({ db, healthTimeoutMs: 150 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address() as { port: number };
      http = new Http(`http://127.0.0.1:${address.port}`);
    });

    afterAll(async () => {
      await app?.close();
      await db?.close();
    });

    it('no connection within the acquire deadline is a 503 with Retry-After, counted in /metrics', async () => {
      const held = await db.pool.acquire();
      try {
        const reply = await http.get('/employees?limit=1');
        expect(reply.status).toBe(503);
        expect(reply.body.error.code).toBe('UNAVAILABLE');
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        const write = await http.post('/users', {
          username: 'never_written',
          displayName: 'x',
          email: 'never@x.io',
        });
        expect(write.status).toBe(503);
        const health = await http.get('/health');
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({ status: 'unavailable', pool: { max: 1, inUse: 1 } });
      } finally {
        await db.pool.release(held);
      }
      expect((await http.get('/health')).status).toBe(200);
      const metrics = await http.get('/metrics');
      expect(metrics.text).toMatch(/^db_pool_timeouts_total [1-9]\d*$/m);
      expect(
        (await ctx().http.get('/users?limit=100')).body.items.map((u: Json) => u.username),
      ).not.toContain('never_written');
    });

    it('a closed pool makes /health a 503 {status:"unavailable"} and requests 503', async () => {
      await db.close();
      const health = await http.get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', backend: ctx().backend });
      expect(health.body.error).toBe(HEALTH_FAILED);
      const reply = await http.get('/employees');
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.body.error.message).toMatch(/nothing was written/);
    });
  });
}
