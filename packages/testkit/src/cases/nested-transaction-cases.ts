import { type Database, TransactionRollbackOnlyError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../conformance-entities.js';
import { deferred } from '../support/deferred.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

const labels = (rows: readonly { label: string }[]) => rows.map((r) => r.label).sort();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Nested transactions hold the pinned connection from their SAVEPOINT to their RELEASE or ROLLBACK TO, so a
 * failed one never undoes a sibling's write; without savepoints a failed one makes the outer transaction
 * rollback-only, with a typed outcome.
 */
export function nestedTransactionCases(ctx: SuiteContext): void {
  if (!ctx.capabilities.transactions) return;
  const savepoints = ctx.capabilities.savepoints;

  describe('nested transactions', () => {
    const db = ctx.shared({ pool: { max: 2 } });
    const ledger = (d: Database = db()) => d.repository(Ledger);
    beforeEach(() => ctx.clear(db(), Ledger));

    it('a sibling write on the outer transaction, made while a nested one runs, survives its failure', async () => {
      const failure = new Error('inner failed');
      const innerWrote = deferred();
      const order: string[] = [];
      const outcome = db()
        .transaction(async (tx) => {
          await tx.repository(Ledger).insert({ label: 'outer before', amount: 1 });
          const nested = tx
            .transaction(async (inner) => {
              await inner.repository(Ledger).insert({ label: 'inner', amount: 2 });
              innerWrote.resolve();
              // The sibling below is issued now; it must wait until this nested transaction has ended.
              await pause(30);
              await inner.repository(Ledger).insert({ label: 'inner 2', amount: 3 });
              order.push('nested fails');
              throw failure;
            })
            .catch((error: unknown) => error);
          await innerWrote.promise;
          const sibling = tx
            .repository(Ledger)
            .insert({ label: 'sibling', amount: 4 })
            .then(
              (row) => {
                order.push('sibling written');
                return row;
              },
              (error: unknown) => {
                order.push('sibling refused');
                throw error;
              },
            );
          const ambientSibling = ledger().insert({ label: 'ambient sibling', amount: 5 });
          const results = await Promise.allSettled([nested, sibling, ambientSibling]);
          expect(results[0]).toEqual({ status: 'fulfilled', value: failure });
          if (savepoints) {
            expect(results[1]!.status).toBe('fulfilled');
            expect(results[2]!.status).toBe('fulfilled');
            expect(order).toEqual(['nested fails', 'sibling written']);
            expect(await tx.repository(Ledger).count()).toBe(3);
          } else {
            expect(results[1]).toMatchObject({
              status: 'rejected',
              reason: expect.any(TransactionRollbackOnlyError),
            });
            expect(results[2]).toMatchObject({
              status: 'rejected',
              reason: expect.any(TransactionRollbackOnlyError),
            });
            expect(order).toEqual(['nested fails', 'sibling refused']);
          }
        })
        .then(
          () => 'committed',
          (error: unknown) => error,
        );
      if (savepoints) {
        expect(await outcome).toBe('committed');
        expect(labels(await ctx.raw(Ledger))).toEqual(['ambient sibling', 'outer before', 'sibling']);
      } else {
        const error = await outcome;
        expect(error).toBeInstanceOf(TransactionRollbackOnlyError);
        expect((error as TransactionRollbackOnlyError).cause).toBe(failure);
        expect(await ctx.raw(Ledger)).toEqual([]);
      }
      expect(db().pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    });

    it('sibling writes issued before a failing nested transaction, in one Promise.all, survive it', async () => {
      const failure = new Error('inner failed');
      const outcome = await db()
        .transaction(async (tx) => {
          const results = await Promise.allSettled([
            tx.repository(Ledger).insert({ label: 'first', amount: 1 }),
            tx.transaction(async (inner) => {
              await inner.repository(Ledger).insert({ label: 'inner', amount: 2 });
              throw failure;
            }),
            ledger().insert({ label: 'after', amount: 3 }),
          ]);
          expect(results[0]!.status).toBe('fulfilled');
          expect(results[1]).toEqual({ status: 'rejected', reason: failure });
          expect(results[2]!.status).toBe(savepoints ? 'fulfilled' : 'rejected');
        })
        .then(
          () => 'committed',
          (error: unknown) => error,
        );
      if (savepoints) {
        expect(outcome).toBe('committed');
        expect(labels(await ctx.raw(Ledger))).toEqual(['after', 'first']);
      } else {
        expect(outcome).toBeInstanceOf(TransactionRollbackOnlyError);
        expect(await ctx.raw(Ledger)).toEqual([]);
      }
    });

    it('inside a nested callback, the outer handle joins the nested transaction (no deadlock, even with a pool of one)', async () => {
      const one = await ctx.open({ pool: { max: 1, acquireTimeoutMs: 500 } });
      const failure = new Error('inner failed');
      await one.transaction(async (tx) => {
        const outerRepo = tx.repository(Ledger);
        await outerRepo.insert({ label: 'outer', amount: 1 });
        if (savepoints) {
          const caught = await tx
            .transaction(async () => {
              await outerRepo.insert({ label: 'through outer handle, undone', amount: 2 });
              await tx.transaction(async () => {
                await outerRepo.insert({ label: 'deeper, undone with it', amount: 3 });
              });
              throw failure;
            })
            .catch((error: unknown) => error);
          expect(caught).toBe(failure);
        }
        await tx.transaction(async () => {
          await outerRepo.insert({ label: 'through outer handle, kept', amount: 4 });
          const uow = tx.unitOfWork();
          uow.persist(Ledger, { label: 'outer unit of work, kept', amount: 5 });
          await uow.flush();
          await tx.transaction(() => outerRepo.insert({ label: 'deeper, kept', amount: 6 }));
        });
      });
      expect(labels(await ctx.raw(Ledger))).toEqual([
        'deeper, kept',
        'outer',
        'outer unit of work, kept',
        'through outer handle, kept',
      ]);
      expect(one.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    });
    if (savepoints) {
      it('sequential nested transactions: each failure is undone alone, each success is kept', async () => {
        await db().transaction(async (tx) => {
          for (let i = 0; i < 4; i++) {
            const caught = await tx
              .transaction(async (inner) => {
                await inner.repository(Ledger).insert({ label: `nested ${i}`, amount: i });
                if (i % 2 === 1) throw new Error(`nested ${i} failed`);
              })
              .catch((error: unknown) => error);
            expect(caught instanceof Error).toBe(i % 2 === 1);
          }
          expect(await tx.repository(Ledger).count()).toBe(2);
        });
        expect(labels(await ctx.raw(Ledger))).toEqual(['nested 0', 'nested 2']);
      });

      it('concurrent nested transactions run one at a time; a failed one takes only its own writes', async () => {
        let running = 0;
        let overlapped = false;
        const body = (name: string, fail: boolean) => async () => {
          running++;
          if (running > 1) overlapped = true;
          try {
            await ledger().insert({ label: `${name} 1`, amount: 1 });
            await pause(5);
            await ledger().insert({ label: `${name} 2`, amount: 2 });
            if (fail) throw new Error(`${name} failed`);
          } finally {
            running--;
          }
        };
        await db().transaction(async (tx) => {
          const results = await Promise.allSettled([
            tx.transaction(body('a', false)),
            db().transaction(body('b', true)),
            tx.transaction(body('c', false)),
            tx.repository(Ledger).insert({ label: 'outer', amount: 0 }),
          ]);
          expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
        });
        expect(overlapped).toBe(false);
        expect(labels(await ctx.raw(Ledger))).toEqual(['a 1', 'a 2', 'c 1', 'c 2', 'outer']);
      });
    } else {
      it('without savepoints: a caught nested failure makes the transaction rollback-only; later work and the commit are refused with TransactionRollbackOnlyError', async () => {
        const failure = new Error('inner failed');
        let later: unknown;
        let laterNested: unknown;
        const error = await rejection(
          db().transaction(async (tx) => {
            await tx.repository(Ledger).insert({ label: 'outer', amount: 1 });
            const caught = await tx
              .transaction(async (inner) => {
                await inner.repository(Ledger).insert({ label: 'inner', amount: 2 });
                throw failure;
              })
              .catch((e: unknown) => e);
            expect(caught).toBe(failure);
            later = await ledger()
              .insert({ label: 'later', amount: 3 })
              .catch((e: unknown) => e);
            laterNested = await tx.transaction(async () => 'never runs').catch((e: unknown) => e);
            return 'resolved';
          }),
          TransactionRollbackOnlyError,
        );
        expect(error.code).toBe('TRANSACTION_ROLLBACK_ONLY');
        expect(error.cause).toBe(failure);
        expect(error.retryable).toBe(false);
        expect(later).toBeInstanceOf(TransactionRollbackOnlyError);
        expect(laterNested).toBeInstanceOf(TransactionRollbackOnlyError);
        expect(await ctx.raw(Ledger)).toEqual([]);
        expect(db().pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
      });

      it('without savepoints: when the callback throws after a nested failure, its own error is rethrown', async () => {
        const own = new Error('own error');
        const caught = await db()
          .transaction(async (tx) => {
            await tx.transaction(async () => Promise.reject(new Error('inner'))).catch(() => undefined);
            throw own;
          })
          .catch((e: unknown) => e);
        expect(caught).toBe(own);
      });

      it('without savepoints: sequential and concurrent nested transactions that succeed all commit', async () => {
        await db().transaction(async (tx) => {
          await tx.transaction((inner) => inner.repository(Ledger).insert({ label: 'seq 1', amount: 1 }));
          await tx.transaction((inner) => inner.repository(Ledger).insert({ label: 'seq 2', amount: 1 }));
          await Promise.all([
            tx.transaction((inner) => inner.repository(Ledger).insert({ label: 'conc 1', amount: 1 })),
            db().transaction(() => ledger().insert({ label: 'conc 2', amount: 1 })),
            tx.repository(Ledger).insert({ label: 'outer', amount: 1 }),
          ]);
        });
        expect(labels(await ctx.raw(Ledger))).toEqual(['conc 1', 'conc 2', 'outer', 'seq 1', 'seq 2']);
      });
    }
  });
}
