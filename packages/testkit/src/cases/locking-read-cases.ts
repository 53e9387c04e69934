import {
  TransactionConflictError,
  TransactionRequiredError,
  UnsupportedError,
  type LockOption,
} from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../conformance-entities.js';
import { deferred } from '../support/deferred.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

const LOCKS: LockOption[] = [
  'forUpdate',
  'forShare',
  { mode: 'forUpdate', onLocked: 'noWait' },
  { mode: 'forUpdate', onLocked: 'skipLocked' },
  { mode: 'forShare', onLocked: 'noWait' },
  { mode: 'forShare', onLocked: 'skipLocked' },
];

/**
 * Locking reads (`lock` on find, findById, findOne): held until the transaction ends, refused outside one
 * (`TransactionRequiredError`) and where the backend has none (`UnsupportedError`, MongoDB).
 */
export function lockingReadCases(ctx: SuiteContext): void {
  describe('locking reads', () => {
    const db = ctx.shared({ pool: { max: 3 } });
    const ledger = () => db().repository(Ledger);
    beforeEach(() => ctx.clear(db(), Ledger));

    if (!ctx.capabilities.lockingReads) {
      it('are refused with UnsupportedError, in a transaction or not, before anything is sent', async () => {
        const row = await ledger().insert({ label: 'a', amount: 1 });
        for (const lock of LOCKS) {
          const error = await rejection(ledger().find({ lock }), UnsupportedError);
          expect(error).toMatchObject({ code: 'UNSUPPORTED', feature: 'locking reads' });
          await rejection(ledger().findById(row.id, { lock }), UnsupportedError);
        }
        if (ctx.capabilities.transactions) {
          await rejection(
            db().transaction((tx) =>
              tx.repository(Ledger).findOne({ label: 'a' }, undefined, { lock: 'forUpdate' }),
            ),
            UnsupportedError,
          );
        }
        expect(db().pool.stats().inUse).toBe(0);
      });
      return;
    }

    it('outside a transaction they are refused with TransactionRequiredError', async () => {
      const row = await ledger().insert({ label: 'a', amount: 1 });
      for (const lock of LOCKS) {
        const error = await rejection(ledger().find({ lock }), TransactionRequiredError);
        expect(error.code).toBe('TRANSACTION_REQUIRED');
        await rejection(ledger().findById(row.id, { lock }), TransactionRequiredError);
        await rejection(ledger().findOne({ label: 'a' }, undefined, { lock }), TransactionRequiredError);
      }
    });

    it('inside a transaction every lock mode reads the rows, with a projection too', async () => {
      const row = await ledger().insert({ label: 'a', amount: 1 });
      await ledger().insert({ label: 'b', amount: 2 });
      for (const lock of LOCKS) {
        await db().transaction(async (tx) => {
          const repo = tx.repository(Ledger);
          expect((await repo.find({ lock, orderBy: 'label' })).items.map((r) => r.label)).toEqual(['a', 'b']);
          expect(await repo.findById(row.id, { lock })).toEqual(row);
          expect(await repo.findOne({ label: 'b' }, undefined, { lock, select: { amount: true } })).toEqual({
            amount: 2,
          });
        });
      }
    });

    if (ctx.capabilities.multipleConnections) {
      it('a row locked by one transaction: noWait fails with TransactionConflictError, skipLocked skips it', async () => {
        const locked = await ledger().insert({ label: 'locked', amount: 1 });
        const free = await ledger().insert({ label: 'free', amount: 2 });
        const holding = deferred();
        const release = deferred();
        const holder = db().transaction(async (tx) => {
          await tx.repository(Ledger).findById(locked.id, { lock: 'forUpdate' });
          holding.resolve();
          await release.promise;
        });
        try {
          await holding.promise;
          await db().transaction(async (tx) => {
            const items = (
              await tx.repository(Ledger).find({ lock: { mode: 'forUpdate', onLocked: 'skipLocked' } })
            ).items;
            expect(items.map((r) => r.id)).toEqual([free.id]);
          });
          await db().transaction(async (tx) => {
            const shared = await tx
              .repository(Ledger)
              .find({ lock: { mode: 'forShare', onLocked: 'skipLocked' }, select: { label: true } });
            expect(shared.items).toEqual([{ label: 'free' }]);
          });
          for (const mode of ['forUpdate', 'forShare'] as const) {
            const error = await rejection(
              db().transaction((tx) =>
                tx.repository(Ledger).findById(locked.id, { lock: { mode, onLocked: 'noWait' } }),
              ),
              TransactionConflictError,
            );
            expect(error.code).toBe('TRANSACTION_CONFLICT');
          }
          // An unlocked row is still readable with noWait while the other one is held.
          await db().transaction(async (tx) => {
            expect(
              await tx
                .repository(Ledger)
                .findById(free.id, { lock: { mode: 'forUpdate', onLocked: 'noWait' } }),
            ).toEqual(free);
          });
        } finally {
          release.resolve();
          await holder;
        }
        // Once the holder has committed, the lock is gone.
        await db().transaction(async (tx) => {
          expect(
            await tx
              .repository(Ledger)
              .findById(locked.id, { lock: { mode: 'forUpdate', onLocked: 'noWait' } }),
          ).toEqual(locked);
        });
        expect(db().pool.stats().inUse).toBe(0);
      });

      it('shared locks do not conflict with each other', async () => {
        const row = await ledger().insert({ label: 'shared', amount: 1 });
        const holding = deferred();
        const release = deferred();
        const holder = db().transaction(async (tx) => {
          await tx.repository(Ledger).findById(row.id, { lock: 'forShare' });
          holding.resolve();
          await release.promise;
        });
        try {
          await holding.promise;
          await db().transaction(async (tx) => {
            expect(
              await tx
                .repository(Ledger)
                .findById(row.id, { lock: { mode: 'forShare', onLocked: 'noWait' } }),
            ).toEqual(row);
          });
        } finally {
          release.resolve();
          await holder;
        }
      });
    }
  });
}
