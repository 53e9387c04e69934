import { TEST_DATABASE } from '../support/test-env.js';
import { ConnectionLostError } from '@berth/core';
import type { Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Employee, openTestDatabase } from '../support/fixtures.js';
import { TcpProxy } from '@berth/testkit';
import { ServerProbe, SERVER_URL, adminConnection, serverAvailable } from '../support/test-server.js';

const probe = new ServerProbe();
const STATEMENT_TIMEOUT_MS = 1_000;
/** The contract: a statement in flight fails within the statement timeout + 10 %; 50 ms for timers. */
const BOUND_MS = STATEMENT_TIMEOUT_MS * 1.1 + 50;

describe.skipIf(!serverAvailable())('a network gone dark under a statement in flight', () => {
  let proxy: TcpProxy | undefined;
  let foreign: Connection | undefined;

  beforeAll(async () => {
    const { db } = await openTestDatabase();
    await db.ensureSchema();
    await db.close(1_000);
  });
  afterEach(async () => {
    await foreign?.query('UNLOCK TABLES').catch(() => undefined);
    await foreign?.end().catch(() => undefined);
    foreign = undefined;
    await proxy?.stop();
    proxy = undefined;
  });
  afterAll(() => probe.close());

  it('fails with ConnectionLostError within the statement timeout + 10 %, destroys the connection, and works again once healed', async () => {
    const server = new URL(SERVER_URL);
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 3306) });
    const { db, log } = await openTestDatabase(
      { host: '127.0.0.1', port: proxy.port, max: 2, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
      { acquireTimeoutMs: 300 },
    );
    try {
      const repo = db.repository(Employee);
      await repo.count();
      const [before] = await probe.sessionIds();

      // A statement surely in flight: blocked behind a foreign table lock, which goes away behind the dark
      // network, so neither its rows nor the server's own statement timeout ever come back.
      foreign = await adminConnection();
      await foreign.query(`LOCK TABLES ${TEST_DATABASE}.employees WRITE`);
      const started = performance.now();
      const inFlight = repo.count().catch((e: unknown) => e);
      await expect
        .poll(
          async () =>
            (
              await probe.query<{ state: string }>(
                'SELECT STATE AS state FROM information_schema.processlist WHERE ID = ?',
                [Number(before)],
              )
            )[0]?.state,
        )
        .toMatch(/lock/i);
      proxy.freeze();
      await foreign.query('UNLOCK TABLES');
      const error = await inFlight;
      const elapsed = performance.now() - started;

      console.info(
        `blackhole, statement timeout ${STATEMENT_TIMEOUT_MS} ms: ${(error as Error).name} after ${Math.round(elapsed)} ms`,
      );
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect((error as Error).message).toMatch(/did not answer/);
      expect(elapsed).toBeGreaterThan(STATEMENT_TIMEOUT_MS);
      expect(elapsed).toBeLessThanOrEqual(BOUND_MS);
      // Destroyed at once, never handed out again.
      expect(db.pool.stats()).toMatchObject({ total: 0, inUse: 0 });
      expect(log.events).toContain(`destroy:${before}:error`);

      proxy.thaw();
      expect(await repo.count()).toBe(0);
      const after = await probe.sessionIds();
      // The server's side of the lost connection is gone too: no zombie.
      await expect.poll(() => probe.sessionIds()).not.toContain(before);
      expect(after).toHaveLength(1);
      expect(db.pool.stats()).toMatchObject({ total: 1, idle: 1, inUse: 0 });
    } finally {
      await db.close(1_000);
    }
  });
});
