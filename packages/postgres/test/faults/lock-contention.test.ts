import { defineEntity, field, PoolTimeoutError, StatementTimeoutError } from '@berth/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawQuery, TEST_URL } from '../support/server.js';
import { closeTestDatabases, eventually, expectAtRest, openTestDatabase } from '../support/test-database.js';

const Slot = defineEntity('pg_fault_slots', {
  id: field.id(),
  label: field.string({ max: 40 }),
  version: field.version(),
});

const available = inject('postgresAvailable');
const ACQUIRE_TIMEOUT_MS = 300;
const STATEMENT_TIMEOUT_MS = 700;

afterEach(closeTestDatabases);

describe.skipIf(!available)('a foreign session holding ACCESS EXCLUSIVE on a table', () => {
  let locker: pg.Client | undefined;

  beforeAll(async () => {
    const handle = await openTestDatabase({ label: 'lock-schema', entities: [Slot] });
    await handle.db.ensureSchema();
    await handle.close();
  });
  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    locker = undefined;
  });
  afterAll(async () => {
    if (available) await rawQuery('DROP TABLE IF EXISTS pg_fault_slots');
  });

  async function lock(): Promise<void> {
    locker = new pg.Client({ connectionString: TEST_URL, application_name: 'berth_test_locker' });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE pg_fault_slots IN ACCESS EXCLUSIVE MODE');
  }

  it('waiters fail at the acquire deadline with the pool stats; statements end at the statement timeout; nothing leaks', async () => {
    const handle = await openTestDatabase({
      label: 'lock',
      driver: { max: 2, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
      pool: { acquireTimeoutMs: ACQUIRE_TIMEOUT_MS },
    });
    const slots = handle.db.repository(Slot);
    await slots.count();
    await lock();

    // Two callers take both connections and block on the lock, one of them inside a transaction.
    const started = performance.now();
    const blocked = [
      slots.count().catch((e: unknown) => e),
      handle.db
        .transaction(async (tx) => {
          await tx.repository(Slot).insert({ label: 'never' });
        })
        .catch((e: unknown) => e),
    ];
    await eventually(() => expect(handle.db.pool.stats().inUse).toBe(2));

    // Three more wait for a connection, and give up at the acquire deadline.
    const waiters = Array.from({ length: 3 }, async () => {
      const at = performance.now();
      const error = await slots.findById('x').catch((e: unknown) => e);
      return { error, waitedMs: performance.now() - at };
    });
    const waiting: number[] = [];
    const settled = await Promise.all(waiters);
    for (const { error, waitedMs } of settled) {
      expect(error).toBeInstanceOf(PoolTimeoutError);
      const timeout = error as PoolTimeoutError;
      expect(waitedMs).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 1);
      expect(waitedMs).toBeLessThan(ACQUIRE_TIMEOUT_MS + 100);
      expect(timeout.stats).toMatchObject({ max: 2, total: 2, idle: 0, inUse: 2 });
      waiting.push(timeout.stats.waiting);
      expect(timeout.lastConnectionError).toBeUndefined();
    }
    // Each snapshot is taken once its own caller has left the queue.
    expect(waiting.sort().reverse()).toEqual([2, 1, 0]);

    for (const error of await Promise.all(blocked)) expect(error).toBeInstanceOf(StatementTimeoutError);
    const statementsEndedAfter = performance.now() - started;
    expect(statementsEndedAfter).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 1);
    expect(statementsEndedAfter).toBeLessThan(STATEMENT_TIMEOUT_MS + 500);
    console.info(
      `lock contention: acquire deadline ${ACQUIRE_TIMEOUT_MS} ms, waiters failed after ${settled
        .map((s) => Math.round(s.waitedMs))
        .join(
          '/',
        )} ms; statement timeout ${STATEMENT_TIMEOUT_MS} ms, statements ended after ${Math.round(statementsEndedAfter)} ms`,
    );

    await locker!.end();
    locker = undefined;
    // A statement timeout is not a lost connection: the same two connections serve on, clean.
    await Promise.all([slots.count(), slots.count(), slots.count()]);
    await expectAtRest(handle, { total: 2, idle: 2 });
    expect(await rawQuery("SELECT id FROM pg_fault_slots WHERE label = 'never'")).toEqual([]);
  });

  it('a transaction that times out on the lock is rolled back, not left idle in transaction', async () => {
    const handle = await openTestDatabase({
      label: 'lock-tx',
      driver: { max: 1, statementTimeoutMs: 300 },
    });
    await lock();
    const error = await handle.db
      .transaction(async (tx) => {
        await tx
          .repository(Slot)
          .count()
          .catch(() => undefined);
        // The failed statement aborted the transaction; this one is refused by the server.
        await tx.repository(Slot).count();
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await handle.idleInTransaction()).toBe(0);
    await locker!.end();
    locker = undefined;
    expect(await handle.db.repository(Slot).count()).toBeGreaterThanOrEqual(0);
    await expectAtRest(handle, { total: 1 });
    expect(new Set(handle.acquired).size).toBe(1);
  });
});
