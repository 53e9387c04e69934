import { TEST_DATABASE } from '../support/test-env.js';
import { type Database, PoolTimeoutError, StatementTimeoutError } from '@berth/core';
import type { Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Employee, openTestDatabase } from '../support/fixtures.js';
import { ServerProbe, adminConnection, serverAvailable } from '../support/test-server.js';

const probe = new ServerProbe();
const ACQUIRE_TIMEOUT_MS = 300;
const STATEMENT_TIMEOUT_MS = 700;

async function outcome<T>(work: Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await work;
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

describe.skipIf(!serverAvailable())('LOCK TABLES ... WRITE from a foreign session', () => {
  let db: Database;
  let foreign: Connection;

  beforeAll(async () => {
    const opened = await openTestDatabase(
      { max: 2, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
      { acquireTimeoutMs: ACQUIRE_TIMEOUT_MS },
    );
    db = opened.db;
    await db.ensureSchema();
  });
  afterEach(async () => {
    await foreign?.query('UNLOCK TABLES').catch(() => undefined);
    await foreign?.end().catch(() => undefined);
  });
  afterAll(async () => {
    await db.close(1_000);
    await probe.close();
  });

  it('waiters fail at the acquire deadline with stats; statements end at the statement timeout; nothing leaks', async () => {
    const repo = db.repository(Employee);
    await repo.count(); // one connection open before the lock
    foreign = await adminConnection();
    await foreign.query(`LOCK TABLES ${TEST_DATABASE}.employees WRITE`);

    // Two statements take both connections and block on the table lock; three more callers queue.
    const blocked = [outcome(repo.count()), outcome(repo.find())];
    await expect.poll(() => db.pool.stats().inUse).toBe(2);
    const waiters = [1, 2, 3].map(() => outcome(repo.count()));
    const waited = await Promise.all(waiters);
    for (const { error, ms } of waited) {
      expect(error).toBeInstanceOf(PoolTimeoutError);
      const timeout = error as PoolTimeoutError;
      expect(timeout.stats).toMatchObject({ max: 2, inUse: 2 });
      expect(timeout.waitedMs).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 1);
      expect(ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + 100);
    }
    const ended = await Promise.all(blocked);
    for (const { error, ms } of ended) {
      expect(error).toBeInstanceOf(StatementTimeoutError);
      expect(ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 1);
      expect(ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 300);
    }
    console.info(
      `table-lock: waiters failed after ${waited.map((w) => w.ms.toFixed(0)).join('/')} ms ` +
        `(deadline ${ACQUIRE_TIMEOUT_MS}); blocked statements after ${ended.map((e) => e.ms.toFixed(0)).join('/')} ms ` +
        `(statement timeout ${STATEMENT_TIMEOUT_MS})`,
    );

    // Nothing leaks: the cancelled statements' connections are still good and back in the pool.
    await foreign.query('UNLOCK TABLES');
    expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(await repo.count()).toBe(0);
    expect(db.pool.stats().total).toBe(await probe.serverConnections());
    expect(await probe.openTransactions()).toBe(0);
  });

  it('a write blocked inside a transaction ends at the statement timeout and is rolled back', async () => {
    foreign = await adminConnection();
    await foreign.query(`LOCK TABLES ${TEST_DATABASE}.employees WRITE`);
    const { error, ms } = await outcome(
      db.transaction(async (tx) => {
        await tx.repository(Employee).insert({
          email: 'locked@x',
          name: 'Locked',
          salary: 1,
          hiredAt: new Date(),
        });
      }),
    );
    expect(error).toBeInstanceOf(StatementTimeoutError);
    expect(ms).toBeLessThan(STATEMENT_TIMEOUT_MS + 300);
    await foreign.query('UNLOCK TABLES');
    expect(await db.repository(Employee).count()).toBe(0);
    expect(await probe.openTransactions()).toBe(0);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
  });
});
