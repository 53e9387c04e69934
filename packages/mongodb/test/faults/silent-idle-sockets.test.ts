import { ConnectionLostError, Database, defineEntity, field, POOL_DEFAULTS } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { TcpProxy } from '@berth/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoDriver } from '../../src/index.js';
import { databaseUrl, startServer } from '../support/test-server.js';

const Parcel = defineEntity('silent_idle_parcels', { id: field.id(), label: field.string() });

let server: MongoTestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

/**
 * The pool's validation ping runs on a socket of the MongoDB driver's own pool. When the peer went silent,
 * that socket must not stay checked out of the driver's pool for good (its pool is as small as berth's), so
 * the ping carries the validation bound to the driver as its socket timeout.
 */
describe('a MongoDB peer gone silent under idle sockets', () => {
  it('the validation ping closes the silent socket it used: the driver keeps no socket checked out, and its pool stays usable', async () => {
    const proxy = await TcpProxy.start({ host: server.host, port: server.port });
    const url = new URL(databaseUrl(server));
    url.host = `127.0.0.1:${proxy.port}`;
    const driver = new MongoDriver(url.href, { max: 2 });
    const db = await Database.open(driver, { entities: [Parcel], pool: {} });
    try {
      const repo = db.repository(Parcel);
      await repo.count();
      await new Promise((resolve) => setTimeout(resolve, POOL_DEFAULTS.validateAfterIdleMs + 100));
      expect(driver.physicalStats().checkedOut).toBe(0);
      proxy.freezeOpen();

      const started = performance.now();
      await expect(repo.count()).resolves.toBe(0);
      const elapsedMs = performance.now() - started;
      expect(elapsedMs).toBeLessThanOrEqual(1_000 + POOL_DEFAULTS.validationTimeoutMs);
      expect(db.pool.lastConnectionError).toBeInstanceOf(ConnectionLostError);
      // Closed by the driver at the socket timeout, not left checked out behind an answer that never comes.
      await expect.poll(() => driver.physicalStats().checkedOut, { timeout: 2_000 }).toBe(0);
      // The driver's pool (max 2) still serves two operations at once.
      await expect(Promise.all([repo.count(), repo.count()])).resolves.toEqual([0, 0]);
      expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    } finally {
      await proxy.stop();
      await db.close(1_000);
    }
  }, 20_000);
});
