import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type DriverOptions,
  NotFoundError,
  OptimisticLockError,
  PoolClosedError,
  type PoolOptions,
  PoolTimeoutError,
  UniqueViolationError,
  ValidationError,
  buildInsertRow,
  type Entity,
  LEAK_STACK_SAMPLE_EVERY,
  type Lease,
} from '@berth/core';
import { describe, expect, it } from 'vitest';
import { Ledger, Widget } from '../conformance-entities.js';
import { deferred, track } from '../support/deferred.js';
import { expectNoLeaks } from '../support/expect-no-leaks.js';
import { holdAll, recordEvents, releaseAll, timed } from '../support/pool-helpers.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

/** The acquire deadline the pool cases use, and how late past it a timeout may arrive. */
const DEADLINE_MS = 200;
const LATE_MS = 100;
/** The acquire deadline of the burst in "nothing leaks": one the burst never meets, however loaded the machine. */
const BURST_DEADLINE_MS = 30_000;
/**
 * Leak detection is a diagnostic, not a deadline: its timer is a plain one, which Node may fire up to a
 * millisecond early (whole-millisecond delays counted from the event loop's cached clock).
 */
const TIMER_GRANULARITY_MS = 1;
const THIS_FILE = basename(fileURLToPath(import.meta.url));

export function poolCases(ctx: SuiteContext): void {
  describe('pool', () => {
    const open = (pool: PoolOptions & DriverOptions, entities?: readonly Entity[]) =>
      ctx.open({ pool: { closeTimeoutMs: 1_000, ...pool }, ...(entities ? { entities } : {}) });

    it('refuses max: 0, a fractional max and min above max with the same ValidationError on every backend', async () => {
      // Also where the backend ignores the sizes (PGlite is one connection): a pool of none is a mistake.
      const none = await rejection(() => open({ max: 0 }), ValidationError);
      expect(none.message).toBe('max must be a whole number of at least 1 (got 0)');
      expect(none.issues).toEqual([
        { field: 'max', message: 'must be a whole number of at least 1 (got 0)' },
      ]);
      const half = await rejection(() => open({ max: 1.5 }), ValidationError);
      expect(half.message).toBe('max must be a whole number of at least 1 (got 1.5)');
      const inverted = await rejection(() => open({ max: 2, min: 3 }), ValidationError);
      expect(inverted.message).toBe('min must not exceed max (got min 3, max 2)');
    });

    it('stats() has the documented shape, at rest and while busy', async () => {
      const db = await open({ max: 2, acquireTimeoutMs: 1_000 });
      await db.ping();
      const rest = db.pool.stats();
      expect(Object.keys(rest).sort()).toEqual(['idle', 'inUse', 'max', 'total', 'waiting']);
      expect(rest.max).toBeGreaterThanOrEqual(1);
      expect(rest.max).toBeLessThanOrEqual(2);
      if (ctx.capabilities.multipleConnections) expect(rest.max).toBe(2);
      expect(rest).toMatchObject({ inUse: 0, waiting: 0 });
      expect(rest.total).toBeLessThanOrEqual(rest.max);
      expect(rest.idle).toBe(rest.total);

      const leases = await holdAll(db);
      const busy = db.pool.stats();
      expect(busy).toMatchObject({ max: rest.max, inUse: rest.max, total: rest.max, idle: 0, waiting: 0 });
      const waiter = track(db.ping());
      expect(db.pool.stats()).toMatchObject({ inUse: rest.max, waiting: 1 });
      await releaseAll(db, leases);
      await waiter.promise;
      const after = db.pool.stats();
      expect(after).toMatchObject({ inUse: 0, waiting: 0 });
      expect(after.idle).toBe(after.total);
    });

    it('the acquire deadline holds: PoolTimeoutError at the deadline, carrying the pool state; timeout events fire', async () => {
      const db = await open({ max: 2, acquireTimeoutMs: DEADLINE_MS });
      const timeouts: number[] = [];
      db.pool.on('timeout', (event) => {
        timeouts.push(event.stats.waiting);
      });
      const leases = await holdAll(db);
      const max = db.pool.stats().max;
      const outcomes = await Promise.all([
        timed(() => db.repository(Ledger).count()),
        timed(() => db.ping()),
        timed(() => db.transaction(async () => undefined)),
      ]);
      for (const { error, elapsedMs } of outcomes) {
        expect(error).toBeInstanceOf(PoolTimeoutError);
        const timeout = error as PoolTimeoutError;
        expect(elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS);
        expect(elapsedMs).toBeLessThanOrEqual(DEADLINE_MS + LATE_MS);
        expect(timeout.waitedMs).toBeGreaterThanOrEqual(DEADLINE_MS);
        expect(timeout.retryable).toBe(true);
        expect(timeout.code).toBe('POOL_TIMEOUT');
        expect(timeout.stats).toMatchObject({ max, inUse: max });
      }
      // Each caller reports the callers still queued behind it when it gave up.
      const waiting = outcomes.map((o) => (o.error as PoolTimeoutError).stats.waiting).sort();
      expect(waiting).toEqual([0, 1, 2]);
      expect(timeouts.sort()).toEqual([0, 1, 2]);
      expect(db.pool.stats()).toMatchObject({ inUse: max, waiting: 0 });
      await releaseAll(db, leases);
      expect(await db.repository(Ledger).count()).toBeGreaterThanOrEqual(0);
    });

    it('maxWaiters: one caller more than allowed fails at once; the queued ones are served', async () => {
      const db = await open({ max: 2, acquireTimeoutMs: 2_000, maxWaiters: 2 });
      const leases = await holdAll(db);
      const first = track(db.ping());
      const second = track(db.repository(Ledger).count());
      expect(db.pool.stats().waiting).toBe(2);
      const { error, elapsedMs } = await timed(() => db.ping());
      expect(error).toBeInstanceOf(PoolTimeoutError);
      expect(elapsedMs).toBeLessThan(50);
      expect((error as PoolTimeoutError).stats).toMatchObject({ waiting: 2, inUse: leases.length });
      expect(first.settled || second.settled).toBe(false);
      await releaseAll(db, leases);
      await first.promise;
      await second.promise;
    });

    it('waiters are served first come, first served', async () => {
      const db = await open({ max: 2, acquireTimeoutMs: 2_000 });
      const leases = await holdAll(db);
      const order: number[] = [];
      const waiters = Array.from({ length: 6 }, (_, i) =>
        db.pool.acquire().then(async (lease) => {
          order.push(i);
          await db.pool.release(lease);
        }),
      );
      expect(db.pool.stats().waiting).toBe(6);
      // One permit circulates: each waiter passes it to the next, so the service order is observable.
      await db.pool.release(leases.pop()!);
      await Promise.all(waiters);
      expect(order).toEqual([0, 1, 2, 3, 4, 5]);
      await releaseAll(db, leases);
    });

    it.skipIf(!ctx.capabilities.multipleConnections)(
      'a connection handed from caller to caller while they queue is still retired at maxLifetimeMs',
      async (test) => {
        // A connection given back while callers wait may go straight to the next one (`Driver.handOver`),
        // never back through the native pool, which is where a lifetime is enforced: the hand-over must
        // stop at the lifetime. (MongoDB's driver has no lifetime; an embedded engine has one connection.)
        const db = await open({ max: 1, acquireTimeoutMs: 5_000, maxLifetimeMs: 1_000 });
        if (db.backend === 'mongodb') test.skip();
        const ids = new Set<string>();
        db.pool.on('acquire', (event) => ids.add(event.connectionId));
        const until = performance.now() + 6_000;
        // Three callers on one connection: there is always one waiting when it is given back.
        const caller = async () => {
          while (ids.size < 2 && performance.now() < until) await db.ping();
        };
        await Promise.all([caller(), caller(), caller()]);
        expect(ids.size, 'a second connection replaced the first at its lifetime').toBeGreaterThanOrEqual(2);
      },
    );

    it('acquire, release, create and destroy events fire in order', async () => {
      const db = await open({ max: 1, acquireTimeoutMs: 1_000 });
      const log = recordEvents(db);
      await db.ping();
      await db.repository(Ledger).count();
      await db.transaction(async (tx) => tx.repository(Ledger).count());
      const uses = log.filter((e) => e.name === 'acquire' || e.name === 'release');
      expect(uses.map((e) => e.name)).toEqual([
        'acquire',
        'release',
        'acquire',
        'release',
        'acquire',
        'release',
      ]);
      for (let i = 0; i < uses.length; i += 2) expect(uses[i]!.connectionId).toBe(uses[i + 1]!.connectionId);
      for (const e of log) {
        if (e.name === 'acquire') expect(e.waitedMs).toBeGreaterThanOrEqual(0);
        if (e.name === 'release') expect(e).toMatchObject({ heldMs: expect.any(Number), destroyed: false });
      }

      const lease = await db.pool.acquire();
      const destroyedId = lease.connection.id;
      // A driver may report the destroy once the connection has actually closed, a moment after release.
      const destroyEvent = deferred();
      db.pool.on('destroy', (event) => {
        if (event.connectionId === destroyedId) destroyEvent.resolve();
      });
      await db.pool.release(lease, true);
      await db.ping();
      const tail = log.slice(uses.length);
      const released = tail.findIndex((e) => e.name === 'release' && e.connectionId === destroyedId);
      expect(tail[released]).toMatchObject({ destroyed: true });
      expect(
        tail.some((e, i) => i > released && e.name === 'acquire'),
        'the next caller is served',
      ).toBe(true);
      // An embedded single-connection engine has no second connection to open instead, so it cleans and
      // keeps its one connection (see Capabilities.multipleConnections); elsewhere a discarded connection
      // is closed and replaced.
      if (ctx.capabilities.multipleConnections) {
        await Promise.race([destroyEvent.promise, new Promise((resolve) => setTimeout(resolve, 1_000))]);
        tail.splice(0, tail.length, ...log.slice(uses.length));
        const destroyed = tail.findIndex((e) => e.name === 'destroy' && e.connectionId === destroyedId);
        expect(destroyed, 'a destroy event for the discarded connection').toBeGreaterThanOrEqual(0);
        const next = tail.findIndex((e, i) => i > released && e.name === 'acquire');
        const nextId = (tail[next] as { connectionId: string }).connectionId;
        expect(nextId, 'a destroyed connection is never handed out again').not.toBe(destroyedId);
        const created = tail.findIndex((e) => e.name === 'create' && e.connectionId === nextId);
        expect(created, 'a create event for the replacement connection').toBeGreaterThanOrEqual(0);
        expect(created).toBeLessThan(next);
      }
      expect(log.filter((e) => e.name === 'error' || e.name === 'timeout' || e.name === 'leak')).toEqual([]);
    });

    it('a connection given back mid-transaction is rolled back, and the next user gets it clean', async () => {
      const db = await open({ max: 1, acquireTimeoutMs: 1_000 });
      await ctx.clear(db, Ledger);
      const lease = await db.pool.acquire();
      const connectionId = lease.connection.id;
      await lease.connection.begin();
      lease.inTransaction = true;
      const dirty = buildInsertRow(Ledger, { label: 'uncommitted', amount: 1 }, new Date());
      await lease.connection.insert({ entity: Ledger, rows: [dirty] });
      await db.pool.release(lease);
      expect(await ctx.raw(Ledger)).toEqual([]);
      const events = recordEvents(db);
      const clean = await db.repository(Ledger).insert({ label: 'autocommitted', amount: 2 });
      expect(events.find((e) => e.name === 'acquire')).toMatchObject({ connectionId });
      expect(await ctx.raw(Ledger)).toEqual([clean]);
      if (ctx.target.openTransactions) expect(await ctx.target.openTransactions()).toBe(0);
    });

    it('releasing twice throws and gives back no extra permit', async () => {
      const db = await open({ max: 2, acquireTimeoutMs: DEADLINE_MS });
      const lease = await db.pool.acquire();
      await db.pool.release(lease);
      await rejection(db.pool.release(lease), Error);
      expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
      const leases = await holdAll(db);
      await rejection(db.pool.acquire(), PoolTimeoutError);
      await releaseAll(db, leases);
    });

    it('leak detection fires with the stack of the code that acquired the connection', async () => {
      const db = await open({
        max: 1,
        acquireTimeoutMs: 1_000,
        leakDetectionThresholdMs: 100,
        leakStackCapture: 'always',
      });
      const leaks: Array<{ connectionId: string; heldMs: number; stack: string; stackCaptured: boolean }> =
        [];
      const leaked = deferred();
      db.pool.on('leak', (event) => {
        leaks.push(event);
        leaked.resolve();
      });
      let acquiredId: string | undefined;
      db.pool.on('acquire', (event) => {
        acquiredId = event.connectionId;
      });
      const started = performance.now();
      await db.transaction(async () => {
        // Held until the leak event arrives; a bound keeps a missing event from hanging the case.
        await Promise.race([leaked.promise, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      });
      expect(leaks).toHaveLength(1);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(leaks[0]!.connectionId).toBe(acquiredId);
      expect(leaks[0]!.heldMs).toBeGreaterThanOrEqual(100 - TIMER_GRANULARITY_MS);
      expect(leaks[0]!.stack).toContain(THIS_FILE);
      expect(leaks[0]!.stackCaptured).toBe(true);
      // Work that gives its connection back in time raises nothing.
      await db.ping();
      await db.transaction((tx) => tx.repository(Ledger).count());
      expect(leaks).toHaveLength(1);
    });

    it('leak detection by default samples stacks: an unsampled leak is still reported, and later ones name their acquirer', async () => {
      // No entities: opening does next to nothing, so nothing has been held long enough to leak before
      // the listener is attached (a leak switches the pool to capturing every stack). The threshold is a
      // second, not less: on a loaded machine the connection opening verifies can be held past a quarter
      // of one, and that leak, before the listener, would leave no unsampled acquire to test.
      const threshold = 1_000;
      const db = await open({ max: 1, acquireTimeoutMs: 2_000, leakDetectionThresholdMs: threshold }, []);
      const leaks: Array<{ connectionId: string; heldMs: number; stack: string; stackCaptured: boolean }> =
        [];
      db.pool.on('leak', (event) => leaks.push(event));
      const holdUntilLeak = async (lease: Lease, count: number) => {
        const until = performance.now() + 4 * threshold;
        while (leaks.length < count && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
        await db.pool.release(lease);
      };
      // One acquire in LEAK_STACK_SAMPLE_EVERY captures its stack (`origin`): skip to one that does not.
      let lease = await db.pool.acquire();
      for (let i = 0; lease.origin !== undefined && i < LEAK_STACK_SAMPLE_EVERY; i++) {
        await db.pool.release(lease);
        lease = await db.pool.acquire();
      }
      expect(lease.origin).toBeUndefined();
      await holdUntilLeak(lease, 1);
      expect(leaks).toHaveLength(1);
      expect(leaks[0]!.stackCaptured).toBe(false);
      expect(leaks[0]!.stack).toContain('not captured');
      expect(leaks[0]!.heldMs).toBeGreaterThanOrEqual(threshold - TIMER_GRANULARITY_MS);
      // The pool has leaked: every acquire now captures its stack, and the next leak names its acquirer.
      for (let i = 0; i < 3; i++) {
        const quick = await db.pool.acquire();
        expect(quick.origin).toBeInstanceOf(Error);
        await db.pool.release(quick);
      }
      await holdUntilLeak(await db.pool.acquire(), 2);
      expect(leaks).toHaveLength(2);
      expect(leaks[1]!.stackCaptured).toBe(true);
      expect(leaks[1]!.stack).toContain(THIS_FILE);
    });

    it('close() drains: work in flight commits, queued and new callers get PoolClosedError, a second close() is fine', async () => {
      const db = await open({ max: 1, acquireTimeoutMs: 2_000 });
      await ctx.clear(db, Ledger);
      const inside = deferred();
      const gate = deferred();
      const order: string[] = [];
      const inFlight = track(
        db.transaction(async (tx) => {
          await tx.repository(Ledger).insert({ label: 'in flight', amount: 1 });
          inside.resolve();
          await gate.promise;
          await tx.repository(Ledger).insert({ label: 'after close began', amount: 2 });
          order.push('transaction body done');
        }),
      );
      await inside.promise;
      const queued = track(db.repository(Ledger).count());
      expect(db.pool.stats().waiting).toBe(1);
      const closing = track(db.close().then(() => order.push('closed')));
      await rejection(queued.promise, PoolClosedError);
      await rejection(db.repository(Ledger).count(), PoolClosedError);
      await rejection(
        db.transaction(async () => undefined),
        PoolClosedError,
      );
      await rejection(db.pool.acquire(), PoolClosedError);
      expect(closing.settled).toBe(false);
      expect(db.pool.closed).toBe(true);
      gate.resolve();
      await inFlight.promise;
      await closing.promise;
      expect(order).toEqual(['transaction body done', 'closed']);
      await db.close();
      expect((await ctx.raw(Ledger)).map((r) => r.label).sort()).toEqual(['after close began', 'in flight']);
    });

    it('nothing leaks after successes, thrown errors, validation errors, conflicts and timeouts', async () => {
      // The burst below queues 28 operations on two connections (one where there is one): how long the last
      // waits is how fast the machine serves them, seconds under heavy load. A deadline it could meet only on
      // a quiet machine would make this a timed test, so the burst's pool has one it never meets; the
      // timeouts further down get a pool of their own with the cases' short deadline.
      const db = await open({ max: 2, acquireTimeoutMs: BURST_DEADLINE_MS });
      await ctx.clear(db, Ledger, Widget);
      const ledger = db.repository(Ledger);
      const row = await ledger.insert({ label: 'base', amount: 1 });
      await db.repository(Widget).insert({ label: 'w', code: 'leak-check' });
      const failures: Array<Promise<unknown>> = [
        db.transaction(async (tx) => {
          await tx.repository(Ledger).insert({ label: 'thrown', amount: 1 });
          throw new Error('thrown inside a transaction');
        }),
        ledger.insert({ label: 'x'.repeat(500), amount: 1 }),
        ledger.find({ where: { nope: 1 } as never }),
        db.repository(Widget).insert({ label: 'w', code: 'leak-check' }),
        db.transaction((tx) => tx.repository(Widget).insert({ label: 'w', code: 'leak-check' })),
        ledger.update(row.id, { amount: 2 }, { expectedVersion: 5 }),
        ledger.delete('0192f6e4-7b3a-7c4d-8e5f-000000000000'),
        db.transaction(async (tx) => {
          await tx.repository(Ledger).update(row.id, { amount: 3 }, { expectedVersion: 9 });
        }),
      ];
      const settled = await Promise.allSettled([
        ...failures,
        ...Array.from({ length: 20 }, (_, i) =>
          i % 2
            ? ledger.count()
            : db.transaction((tx) => tx.repository(Ledger).insert({ label: `ok ${i}`, amount: i })),
        ),
      ]);
      const reasons = settled
        .slice(0, failures.length)
        .map((s) => (s.status === 'rejected' ? s.reason : undefined));
      expect(reasons[0]).toBeInstanceOf(Error);
      expect(reasons[1]).toBeInstanceOf(ValidationError);
      expect(reasons[2]).toBeInstanceOf(ValidationError);
      expect(reasons[3]).toBeInstanceOf(UniqueViolationError);
      expect(reasons[4]).toBeInstanceOf(UniqueViolationError);
      expect(reasons[5]).toBeInstanceOf(OptimisticLockError);
      expect(reasons[6]).toBeInstanceOf(NotFoundError);
      expect(reasons[7]).toBeInstanceOf(OptimisticLockError);
      expect(
        settled.slice(failures.length).flatMap((s) => (s.status === 'rejected' ? [s.reason] : [])),
      ).toEqual([]);

      const uow = db.unitOfWork();
      const loaded = (await uow.findById(Ledger, row.id))!;
      await ledger.update(row.id, { amount: 50 });
      loaded.amount = 51;
      await rejection(uow.flush(), OptimisticLockError);
      await expectNoLeaks(ctx, db);
      expect(await ledger.count()).toBe(11);
      // Closed first: the server-side count of connections below is the other pool's alone.
      await db.close();

      const timing = await open({ max: 2, acquireTimeoutMs: DEADLINE_MS });
      const leases = await holdAll(timing);
      await rejection(timing.repository(Ledger).count(), PoolTimeoutError);
      await rejection(
        timing.transaction(async () => undefined),
        PoolTimeoutError,
      );
      await releaseAll(timing, leases);
      await expectNoLeaks(ctx, timing);
      expect(await timing.repository(Ledger).count()).toBe(11);
    });
  });
}
