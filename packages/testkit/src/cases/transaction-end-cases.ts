import { EventEmitterAsyncResource } from 'node:events';
import { type Database, type Transaction, TransactionEndedError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../conformance-entities.js';
import { deferred } from '../support/deferred.js';
import type { SuiteContext } from '../support/suite-context.js';

const labels = (rows: readonly { label: string }[]) => rows.map((r) => r.label).sort();

/** What work scheduled inside a transaction saw when it ran, after the transaction had ended. */
interface LateRun {
  inTransaction: boolean;
  inserted: string;
  nestedCount: number;
}

/**
 * The ambient transaction ends when the transaction ends: work scheduled inside it and run after it runs on
 * the pool; work arriving while COMMIT or ROLLBACK is in flight, and work through an ended handle, is
 * refused with `TransactionEndedError` and never runs in autocommit.
 */
export function transactionEndCases(ctx: SuiteContext): void {
  if (!ctx.capabilities.transactions) return;

  describe('transaction end', () => {
    const db = ctx.shared({ pool: { max: 2 } });
    beforeEach(() => ctx.clear(db(), Ledger));

    /** Ambient work as a scheduled callback would do it: a write, then a transaction of its own. */
    const lateWork = async (d: Database, label: string): Promise<LateRun> => {
      const inTransaction = d.inTransaction;
      const row = await d.repository(Ledger).insert({ label, amount: 1 });
      const nestedCount = await d.transaction((t) => t.repository(Ledger).count());
      return { inTransaction, inserted: row.label, nestedCount };
    };

    for (const outcome of ['commit', 'rollback'] as const) {
      it(`after ${outcome}: a timer, an interval and a listener registered inside run their work on the pool`, async () => {
        const ended = deferred();
        const timer = deferred<LateRun>();
        const interval = deferred<LateRun>();
        const listener = deferred<LateRun>();
        // Captures the async context it is made in, like a listener bound to the transaction's context.
        let emitter: EventEmitterAsyncResource | undefined;
        let handle: NodeJS.Timeout | undefined;
        const run = (label: string, into: typeof timer) => () => {
          ended.promise.then(() => lateWork(db(), label)).then(into.resolve, into.reject);
        };
        const work = db().transaction(async (tx) => {
          await tx.repository(Ledger).insert({ label: 'inside', amount: 1 });
          setTimeout(run('timer', timer), 0);
          let fired = false;
          handle = setInterval(() => {
            if (fired) return;
            fired = true;
            run('interval', interval)();
          }, 1);
          emitter = new EventEmitterAsyncResource({ name: 'conformance' });
          emitter.on('late', run('listener', listener));
          if (outcome === 'rollback') throw new Error('roll back');
        });
        await (outcome === 'commit' ? work : work.catch(() => undefined));
        emitter!.emit('late');
        ended.resolve();
        try {
          const runs = await Promise.all([timer.promise, interval.promise, listener.promise]);
          for (const late of runs) expect(late.inTransaction).toBe(false);
          expect(runs.map((r) => r.inserted)).toEqual(['timer', 'interval', 'listener']);
        } finally {
          clearInterval(handle);
          emitter?.emitDestroy();
        }
        const expected = ['interval', 'listener', 'timer'];
        expect(labels(await ctx.raw(Ledger))).toEqual(
          outcome === 'commit' ? ['inside', ...expected] : expected,
        );
        expect(db().pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
      });
    }

    it('work scheduled in a nested transaction and run after it ended joins the outer transaction still open', async () => {
      const nestedEnded = deferred();
      const late = deferred<boolean>();
      const failure = new Error('roll back the outer transaction');
      const caught = await db()
        .transaction(async (tx) => {
          await tx.transaction(async () => {
            setTimeout(() => {
              nestedEnded.promise
                .then(async () => {
                  await db().repository(Ledger).insert({ label: 'late, in the outer', amount: 1 });
                  return db().inTransaction;
                })
                .then(late.resolve, late.reject);
            }, 0);
          });
          nestedEnded.resolve();
          expect(await late.promise).toBe(true);
          expect(await tx.repository(Ledger).count()).toBe(1);
          throw failure;
        })
        .catch((error: unknown) => error);
      expect(caught).toBe(failure);
      expect(await ctx.raw(Ledger)).toEqual([]);
    });

    for (const outcome of ['commit', 'rollback'] as const) {
      for (const via of ['ambient', 'handle'] as const) {
        it(`work issued while ${outcome === 'commit' ? 'COMMIT' : 'ROLLBACK'} is in flight (${via}) is refused with TransactionEndedError, never run in autocommit`, async () => {
          const written: string[] = [];
          let stop: unknown;
          const firstWritten = deferred();
          const work = db().transaction(async (tx) => {
            const repo = via === 'handle' ? tx.repository(Ledger) : db().repository(Ledger);
            // A background loop the callback does not wait for: it keeps writing until it is refused.
            const loop = (async () => {
              for (let i = 0; i < 10_000; i++) {
                try {
                  const row = await repo.insert({ label: `loop ${i}`, amount: i });
                  written.push(row.label);
                  firstWritten.resolve();
                } catch (error) {
                  stop = error;
                  return;
                }
              }
            })();
            await firstWritten.promise;
            if (outcome === 'rollback') throw new Error('roll back');
            void loop;
          });
          await (outcome === 'commit' ? work : work.catch(() => undefined));
          // The loop has stopped by now or stops at its next write.
          for (let i = 0; i < 100 && stop === undefined; i++) await new Promise((r) => setTimeout(r, 5));
          expect(stop).toBeInstanceOf(TransactionEndedError);
          expect((stop as TransactionEndedError).code).toBe('TRANSACTION_ENDED');
          expect(labels(await ctx.raw(Ledger))).toEqual(outcome === 'commit' ? [...written].sort() : []);
          expect(db().pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
        });
      }
    }

    it('a handle used after its transaction ended is refused with TransactionEndedError; ambient work in its context is not', async () => {
      let outer: Transaction | undefined;
      let nested: Transaction | undefined;
      let ambientAfterNested: boolean | undefined;
      let nestedHandleRefusal: unknown;
      await db().transaction(async (tx) => {
        outer = tx;
        await tx.transaction(async (inner) => {
          nested = inner;
        });
        // The nested transaction has ended; its handle is refused while the outer one goes on.
        nestedHandleRefusal = await nested!
          .repository(Ledger)
          .insert({ label: 'late nested handle', amount: 1 })
          .catch((error: unknown) => error);
        ambientAfterNested = db().inTransaction;
      });
      expect(nestedHandleRefusal).toBeInstanceOf(TransactionEndedError);
      expect(ambientAfterNested).toBe(true);
      for (const handle of [outer!, nested!]) {
        for (const work of [
          () => handle.repository(Ledger).insert({ label: 'late', amount: 1 }),
          () => handle.repository(Ledger).count(),
          () => handle.transaction(async () => 'never runs'),
        ]) {
          expect(await work().catch((error: unknown) => error)).toBeInstanceOf(TransactionEndedError);
        }
      }
      expect(await ctx.raw(Ledger)).toEqual([]);
    });
  });
}
