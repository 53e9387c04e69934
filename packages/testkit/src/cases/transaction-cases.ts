import {
  type Transaction,
  TransactionEndedError,
  TransactionRollbackOnlyError,
  TransactionsUnsupportedError,
} from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Account, Ledger } from '../conformance-entities.js';
import { deferred, track } from '../support/deferred.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

const labels = (rows: readonly { label: string }[]) => rows.map((r) => r.label).sort();

export function transactionCases(ctx: SuiteContext): void {
  describe('transactions', () => {
    const db = ctx.shared({ pool: { max: 4 } });
    const ledger = () => db().repository(Ledger);
    beforeEach(() => ctx.clear(db(), Ledger, Account));

    if (!ctx.capabilities.transactions) {
      it('without transactions: transaction(), a multi-row insertMany and a multi-change flush raise TransactionsUnsupportedError and write nothing', async () => {
        await rejection(
          db().transaction(async () => undefined),
          TransactionsUnsupportedError,
        );
        await rejection(
          ledger().insertMany([
            { label: 'a', amount: 1 },
            { label: 'b', amount: 2 },
          ]),
          TransactionsUnsupportedError,
        );
        const uow = db().unitOfWork();
        uow.persist(Ledger, { label: 'c', amount: 3 });
        uow.persist(Ledger, { label: 'd', amount: 4 });
        await rejection(uow.flush(), TransactionsUnsupportedError);
        expect(await ctx.raw(Ledger)).toEqual([]);
        await ledger().insertMany([{ label: 'single', amount: 1 }]);
        const single = db().unitOfWork();
        single.persist(Ledger, { label: 'one change', amount: 1 });
        expect(await single.flush()).toEqual({ inserted: 1, updated: 0, deleted: 0 });
        expect(labels(await ctx.raw(Ledger))).toEqual(['one change', 'single']);
      });
      return;
    }

    it('commits when the callback resolves, and returns its result', async () => {
      const existing = await ledger().insert({ label: 'existing', amount: 1 });
      expect(db().inTransaction).toBe(false);
      const result = await db().transaction(async (tx) => {
        expect(db().inTransaction).toBe(true);
        await tx.repository(Ledger).insert({ label: 'a', amount: 1 });
        await tx.repository(Ledger).insert({ label: 'b', amount: 2 });
        await tx.repository(Ledger).update(existing.id, { amount: 5 });
        return 'result';
      });
      expect(result).toBe('result');
      expect(db().inTransaction).toBe(false);
      const raw = await ctx.raw(Ledger);
      expect(labels(raw)).toEqual(['a', 'b', 'existing']);
      expect(raw.find((r) => r.id === existing.id)).toMatchObject({ amount: 5, version: 2 });
    });

    it('rolls back when the callback throws, and rethrows the same error', async () => {
      const existing = await ledger().insert({ label: 'existing', amount: 1 });
      const doomed = await ledger().insert({ label: 'doomed', amount: 1 });
      const failure = new Error('callback failed');
      const caught = await db()
        .transaction(async (tx) => {
          const repo = tx.repository(Ledger);
          await repo.insert({ label: 'inserted', amount: 1 });
          await repo.update(existing.id, { amount: 99 });
          await repo.delete(doomed.id);
          expect(await repo.count()).toBe(2);
          throw failure;
        })
        .catch((error: unknown) => error);
      expect(caught).toBe(failure);
      expect(await ctx.raw(Ledger)).toEqual([existing, doomed]);
    });

    it('isolation: a write inside an open transaction is invisible to other connections until commit', async () => {
      const inserted = deferred();
      const gate = deferred();
      const order: string[] = [];
      const tx = track(
        db().transaction(async (t) => {
          await t.repository(Ledger).insert({ label: 'hidden', amount: 1 });
          inserted.resolve();
          await gate.promise;
          order.push('commit');
        }),
      );
      await inserted.promise;
      const stats = db().pool.stats();
      if (ctx.capabilities.multipleConnections && stats.max >= 2) {
        expect(await ledger().count()).toBe(0);
        expect(await ledger().findOne({ label: 'hidden' })).toBeNull();
        expect(await ctx.raw(Ledger)).toEqual([]);
        gate.resolve();
        await tx.promise;
        expect(await ledger().count()).toBe(1);
      } else {
        // One connection: a second caller cannot see the write because it waits until the commit.
        const outside = track(
          ledger()
            .count()
            .then((n) => {
              order.push('outside');
              return n;
            }),
        );
        if (stats.max === 1) expect(db().pool.stats().waiting).toBe(1);
        expect(outside.settled).toBe(false);
        gate.resolve();
        await tx.promise;
        expect(await outside.promise).toBe(1);
        expect(order).toEqual(['commit', 'outside']);
      }
      expect(labels(await ctx.raw(Ledger))).toEqual(['hidden']);
    });

    if (ctx.capabilities.savepoints) {
      it('savepoints: a failed nested transaction is rolled back alone; the outer one commits', async () => {
        const inner = new Error('inner failed');
        await db().transaction(async (tx) => {
          await tx.repository(Ledger).insert({ label: 'outer before', amount: 1 });
          const caught = await tx
            .transaction(async (t2) => {
              await t2.repository(Ledger).insert({ label: 'inner failed', amount: 2 });
              throw inner;
            })
            .catch((error: unknown) => error);
          expect(caught).toBe(inner);
          expect(await tx.repository(Ledger).count()).toBe(1);
          await tx.transaction(async (t3) => {
            await t3.repository(Ledger).insert({ label: 'inner committed', amount: 3 });
            // Through the database handle, a nested transaction is a savepoint of the ambient one too.
            await db()
              .transaction(async () => {
                await db().repository(Ledger).insert({ label: 'innermost failed', amount: 4 });
                throw inner;
              })
              .catch(() => undefined);
          });
          await tx.repository(Ledger).insert({ label: 'outer after', amount: 5 });
        });
        expect(labels(await ctx.raw(Ledger))).toEqual(['inner committed', 'outer after', 'outer before']);
      });
    } else {
      it('without savepoints: a failed nested transaction makes the outer one roll back', async () => {
        const caught = await db()
          .transaction(async (tx) => {
            await tx.repository(Ledger).insert({ label: 'outer', amount: 1 });
            await tx
              .transaction(async (t2) => {
                await t2.repository(Ledger).insert({ label: 'inner', amount: 2 });
                throw new Error('inner failed');
              })
              .catch(() => undefined);
            await tx.repository(Ledger).insert({ label: 'outer after', amount: 3 });
          })
          .catch((error: unknown) => error);
        expect(caught).toBeInstanceOf(TransactionRollbackOnlyError);
        expect(await ctx.raw(Ledger)).toEqual([]);
      });
    }

    it('ambient joining: db.repository() inside db.transaction sees the uncommitted write and rolls back with it', async () => {
      const failure = new Error('roll back');
      const caught = await db()
        .transaction(async () => {
          const row = await db().repository(Ledger).insert({ label: 'ambient', amount: 1 });
          expect(await db().repository(Ledger).findById(row.id)).toEqual(row);
          await db().repository(Ledger).update(row.id, { amount: 2 });
          await db()
            .repository(Ledger)
            .insertMany([
              { label: 'ambient many 1', amount: 1 },
              { label: 'ambient many 2', amount: 1 },
            ]);
          expect(await db().repository(Ledger).count()).toBe(3);
          throw failure;
        })
        .catch((error: unknown) => error);
      expect(caught).toBe(failure);
      expect(await ctx.raw(Ledger)).toEqual([]);
    });

    it('with a pool of one: nested transactions, repositories, flushes and Promise.all finish, in call order, on one connection', async () => {
      const one = await ctx.open({ pool: { max: 1, acquireTimeoutMs: 300 } });
      await ctx.clear(one, Ledger);
      let acquired = 0;
      one.pool.on('acquire', () => {
        acquired++;
      });
      await one.transaction(async (tx) => {
        const repo = one.repository(Ledger);
        const counts = await Promise.all([
          repo.insert({ label: 'p1', amount: 1 }),
          repo.count(),
          tx.repository(Ledger).insert({ label: 'p2', amount: 2 }),
          tx.repository(Ledger).count(),
          repo.insert({ label: 'p3', amount: 3 }),
          repo.count(),
        ]);
        expect([counts[1], counts[3], counts[5]]).toEqual([1, 2, 3]);
        await one.transaction(async (inner) => {
          await inner.repository(Ledger).insert({ label: 'nested', amount: 4 });
          await one.repository(Ledger).insertMany([
            { label: 'nested many 1', amount: 5 },
            { label: 'nested many 2', amount: 5 },
          ]);
          await inner.transaction(async () => {
            const uow = one.unitOfWork();
            uow.persist(Ledger, { label: 'deep flush', amount: 6 });
            await uow.flush();
          });
        });
        const uow = tx.unitOfWork();
        const p1 = (await uow.findOne(Ledger, { label: 'p1' }))!;
        p1.amount = 10;
        uow.persist(Ledger, { label: 'flushed', amount: 7 });
        await uow.flush();
        await Promise.all([
          one.transaction((t) => t.repository(Ledger).insert({ label: 'concurrent 1', amount: 8 })),
          one.transaction((t) => t.repository(Ledger).insert({ label: 'concurrent 2', amount: 8 })),
          one.repository(Ledger).count(),
        ]);
      });
      // With read replicas too: the primary's position is read on the transaction's connection after COMMIT.
      expect(acquired).toBe(1);
      expect(labels(await ctx.raw(Ledger))).toEqual(
        [
          'p1',
          'p2',
          'p3',
          'nested',
          'nested many 1',
          'nested many 2',
          'deep flush',
          'flushed',
          'concurrent 1',
          'concurrent 2',
        ].sort(),
      );
      expect((await ctx.raw(Ledger)).find((r) => r.label === 'p1')).toMatchObject({ amount: 10, version: 2 });
      expect(one.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    });

    it('a transaction handle used after its transaction ended throws TransactionEndedError', async () => {
      let committed: Transaction | undefined;
      await db().transaction(async (tx) => {
        committed = tx;
      });
      let rolledBack: Transaction | undefined;
      await db()
        .transaction(async (tx) => {
          rolledBack = tx;
          throw new Error('roll back');
        })
        .catch(() => undefined);
      for (const tx of [committed!, rolledBack!]) {
        await rejection(tx.repository(Ledger).insert({ label: 'late', amount: 1 }), TransactionEndedError);
        await rejection(tx.repository(Ledger).count(), TransactionEndedError);
        await rejection(
          tx.transaction((t) => t.repository(Ledger).insert({ label: 'late nested', amount: 1 })),
          TransactionEndedError,
        );
      }
      expect(await ctx.raw(Ledger)).toEqual([]);
      expect(db().pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    });
  });
}
