import { type Database, connect } from '@berth/core';
import { TcpProxy } from '@berth/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { ENTITIES } from '../../../src/entities.js';
import { HEALTH_FAILED } from '../../../src/routes/health.js';
import type { GetContext } from '../support/context.js';
import { newUser } from '../support/data.js';
import { Http, type Reply } from '../support/http.js';

/** Driver and network words that must never reach a client. */
const DRIVER_TEXT =
  /ECONNRE|ECONNREFUSED|EPIPE|ETIMEDOUT|socket|getaddrinfo|Connection terminated|topology|MongoNetwork|server selection|PROTOCOL_|read ECONNRESET/i;

/** The URL with its host:port replaced by the proxy's. */
function through(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.host = `127.0.0.1:${port}`;
  return parsed.toString();
}

function expectNothingInternal(reply: Reply, ports: number[]): void {
  for (const port of ports) expect(reply.text).not.toContain(String(port));
  expect(reply.text).not.toContain('127.0.0.1');
  expect(reply.text).not.toMatch(DRIVER_TEXT);
}

/**
 * The database becomes unreachable under a running app (a TCP proxy in front of it stops and refuses):
 * `/health` and requests answer 503 with stable messages, never the driver's text or the address.
 * PGlite runs in-process and has no network: there the database is closed under the app instead.
 */
export function unreachableTests(ctx: GetContext): void {
  describe('an unreachable database', () => {
    let proxy: TcpProxy | undefined;
    let db: Database | undefined;
    let app: FastifyInstance | undefined;
    let http: Http;
    let target: URL;
    const network = () => !ctx().databaseUrl.startsWith('pglite:');

    beforeAll(async () => {
      let url = ctx().databaseUrl;
      if (network()) {
        target = new URL(url);
        proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
        url = through(url, proxy.port);
      }
      db = await connect(url, {
        entities: ENTITIES,
        pool: { max: 2, acquireTimeoutMs: 1_500, statementTimeoutMs: 1_500 },
        importAdapter: (name) => import(name),
      });
      app = await buildApp({ db, healthTimeoutMs: 1_500 });
      await app.listen({ port: 0, host: '127.0.0.1' });
      http = new Http(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
    });

    afterAll(async () => {
      await app?.close();
      await db?.close(2_000).catch(() => undefined);
      await proxy?.stop();
    });

    it('/health and requests answer 503 without host:port or driver text', async () => {
      expect((await http.get('/health')).status).toBe(200);
      let ports: number[] = [];
      if (proxy) {
        proxy.refuse = true;
        proxy.cut();
        ports = [proxy.port, Number(target.port)];
      } else {
        // PGlite runs in-process: its database is gone when it is closed.
        await db!.close();
      }
      const health = await http.get('/health');
      expect(health.status, health.text).toBe(503);
      expect(health.body).toMatchObject({
        status: 'unavailable',
        backend: ctx().backend,
        error: HEALTH_FAILED,
      });
      expectNothingInternal(health, ports);
      for (const reply of [await http.get('/employees'), await http.post('/users', newUser())]) {
        expect(reply.status, reply.text).toBe(503);
        expect(reply.body.error.code).toBe('UNAVAILABLE');
        expect(reply.headers.get('retry-after')).toBe('1');
        expectNothingInternal(reply, ports);
      }
    });
  });
}
