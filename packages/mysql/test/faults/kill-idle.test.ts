import { ConnectionLostError, type Database } from '@berth/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Employee, openTestDatabase } from '../support/fixtures.js';
import { ServerProbe, serverAvailable } from '../support/test-server.js';

const probe = new ServerProbe();
let db: Database | undefined;

describe.skipIf(!serverAvailable())('KILL CONNECTION on idle connections', () => {
  afterEach(async () => {
    await db?.close(1_000);
    db = undefined;
  });
  afterAll(() => probe.close());

  it('never crashes: dead connections leave the pool, it refills to min with new sessions, and work goes on', async () => {
    const opened = await openTestDatabase({ max: 3, min: 2, sweepIntervalMs: 50 });
    db = opened.db;
    const { log } = opened;
    await db.ensureSchema();
    const repo = db.repository(Employee);
    // Three connections open and idle.
    const leases = await Promise.all([1, 2, 3].map(() => db!.pool.acquire()));
    for (const lease of leases) await db.pool.release(lease);
    const before = await probe.sessionIds();
    expect(before).toHaveLength(3);
    expect(db.pool.stats()).toMatchObject({ total: 3, idle: 3 });

    const killedAt = performance.now();
    for (const id of before) await probe.kill(id);
    await expect
      .poll(() => log.events.filter((e) => e.startsWith('destroy:') && e.endsWith(':error')).length, {
        timeout: 2_000,
      })
      .toBe(3);
    const noticedMs = performance.now() - killedAt;
    // Idle deaths reach the pool as `error` events, not as exceptions (one that the refill had just
    // checked out is that borrower's to see instead).
    expect(log.errors.length).toBeGreaterThanOrEqual(1);
    expect(log.errors.length).toBeLessThanOrEqual(3);
    for (const error of log.errors) expect(error).toBeInstanceOf(ConnectionLostError);

    // The pool reopens `min` connections by itself.
    await expect.poll(() => db!.pool.stats().total, { timeout: 2_000 }).toBe(2);
    const refilled = await probe.sessionIds();
    expect(refilled.filter((id) => before.includes(id))).toEqual([]);

    // The next requests succeed, on new sessions.
    const counts = await Promise.all([1, 2, 3, 4, 5].map(() => repo.count()));
    expect(counts).toEqual([0, 0, 0, 0, 0]);
    const after = await probe.sessionIds();
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(db.pool.stats().total).toBe(after.length);
    expect(await probe.openTransactions()).toBe(0);
    console.info(`kill-idle: 3 idle kills noticed within ${noticedMs.toFixed(0)} ms`);
  });

  it('validates a connection killed while idle: the caller never sees the kill', async () => {
    // min 0 and no sweep-driven refill: the only way to notice is the socket closing or the ping.
    const opened = await openTestDatabase({ max: 1 }, { validateAfterIdleMs: 0 });
    db = opened.db;
    const repo = db.repository(Employee);
    await repo.count();
    const [id] = await probe.sessionIds();
    await probe.kill(id!);
    // Straight after the kill, before the driver may have seen the socket close.
    expect(await repo.count()).toBe(0);
    const [next] = await probe.sessionIds();
    expect(next).not.toBe(id);
  });
});
