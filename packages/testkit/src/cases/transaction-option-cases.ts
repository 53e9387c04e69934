import {
  type Database,
  type IsolationLevel,
  ReadOnlyTransactionError,
  TransactionConflictError,
  UnsupportedFeatureError,
  ValidationError,
} from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Account, Ledger } from '../conformance-entities.js';
import { deferred } from '../support/deferred.js';
import type { EscapeHatchFeatures } from '../support/escape-hatch-features.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

const labels = (rows: readonly { label: string }[]) => rows.map((r) => r.label).sort();
const FAST_RETRY = { baseMs: 1, maxMs: 5 };

/**
 * Two transactions that read the same account and then both write it, each only once both have read: a
 * serialization failure on PostgreSQL (SERIALIZABLE), a deadlock on MariaDB (SERIALIZABLE reads take
 * shared locks), a WriteConflict on MongoDB. Resolves to each transaction's outcome.
 */
async function conflictingIncrements(
  db: Database,
  accountId: string,
  isolation: IsolationLevel,
  retry: boolean,
): Promise<{ outcomes: PromiseSettledResult<number>[]; attempts: number[] }> {
  const bothRead = [deferred(), deferred()];
  const attempts = [0, 0];
  const increment = (index: number) =>
    db.transaction(
      async (tx, { attempt }) => {
        attempts[index] = attempt;
        const accounts = tx.repository(Account);
        const current = (await accounts.findById(accountId))!;
        if (attempt === 1) {
          bothRead[index]!.resolve();
          await Promise.all(bothRead.map((d) => d.promise));
        }
        await accounts.update(accountId, { balance: current.balance + 1 });
        return attempt;
      },
      { isolation, ...(retry ? { retry: { attempts: 5, backoff: FAST_RETRY } } : {}) },
    );
  const outcomes = await Promise.allSettled([increment(0), increment(1)]);
  return { outcomes, attempts };
}

/** `db.transaction(fn, { isolation, readOnly, retry })`. */
export function transactionOptionCases(ctx: SuiteContext, features: EscapeHatchFeatures): void {
  if (!ctx.capabilities.transactions) return;
  describe('transaction options', () => {
    const db = ctx.shared({ pool: { max: 4 } });
    const ledger = () => db().repository(Ledger);
    beforeEach(() => ctx.clear(db(), Ledger, Account));

    it('invalid options throw ValidationError and start nothing', async () => {
      let ran = false;
      const fn = async () => {
        ran = true;
      };
      const bad: unknown[] = [
        { isolation: 'snapshot' },
        { isolation: 'SERIALIZABLE' },
        { readOnly: 'yes' },
        { retry: { attempts: 0 } },
        { retry: { attempts: 1.5 } },
        { retry: { attempts: 2, backoff: { baseMs: -1 } } },
        { retries: 3 },
        'serializable',
      ];
      for (const options of bad) {
        // biome-ignore lint/suspicious/noExplicitAny: invalid on purpose, as JavaScript callers can pass it
        await rejection(db().transaction(fn, options as any), ValidationError);
      }
      expect(ran).toBe(false);
      expect(db().pool.stats().inUse).toBe(0);
    });

    const levels: IsolationLevel[] = features.serializable
      ? ['serializable', 'repeatable read', 'read committed']
      : ['repeatable read', 'read committed'];
    for (const isolation of levels) {
      it(`isolation '${isolation}' runs and commits`, async () => {
        await db().transaction(
          async (tx) => {
            await tx.repository(Ledger).insert({ label: isolation, amount: 1 });
          },
          { isolation },
        );
        expect(labels(await ctx.raw(Ledger))).toEqual([isolation]);
      });
    }
    if (!features.serializable) {
      it("isolation 'serializable' is refused with UnsupportedFeatureError before anything starts", async () => {
        let ran = false;
        const error = await rejection(
          db().transaction(
            async () => {
              ran = true;
            },
            { isolation: 'serializable' },
          ),
          UnsupportedFeatureError,
        );
        expect(error.feature).toBe('transaction-isolation');
        expect(ran).toBe(false);
      });
    }

    it('readOnly: reads work, a write is refused with ReadOnlyTransactionError, and nothing is written', async () => {
      const existing = await ledger().insert({ label: 'existing', amount: 1 });
      const error = await rejection(
        db().transaction(
          async (tx) => {
            expect(await tx.repository(Ledger).count()).toBe(1);
            await tx.repository(Ledger).insert({ label: 'written', amount: 2 });
          },
          { readOnly: true },
        ),
        ReadOnlyTransactionError,
      );
      expect(error).toMatchObject({ code: 'READ_ONLY_TRANSACTION', retryable: false });
      await rejection(
        db().transaction(async (tx) => tx.repository(Ledger).update(existing.id, { amount: 5 }), {
          readOnly: true,
        }),
        ReadOnlyTransactionError,
      );
      expect(await ctx.raw(Ledger)).toEqual([existing]);
      // The next transaction on the same connections is read-write again.
      await db().transaction(async (tx) => tx.repository(Ledger).insert({ label: 'after', amount: 3 }), {
        readOnly: false,
      });
      expect(labels(await ctx.raw(Ledger))).toEqual(['after', 'existing']);
    });

    it('a nested transaction must match the outer options, and cannot retry', async () => {
      await db().transaction(
        async (tx) => {
          await rejection(
            tx.transaction(async () => undefined, { isolation: 'read committed' }),
            ValidationError,
          );
          await rejection(
            tx.transaction(async () => undefined, { readOnly: true }),
            ValidationError,
          );
          await rejection(
            tx.transaction(async () => undefined, { retry: { attempts: 2 } }),
            ValidationError,
          );
          // Ambient nesting through the database handle is checked the same way.
          await rejection(
            db().transaction(async () => undefined, { isolation: 'read committed' }),
            ValidationError,
          );
          await tx.transaction(
            async (inner) => {
              await inner.repository(Ledger).insert({ label: 'nested', amount: 1 });
            },
            { isolation: 'repeatable read', readOnly: false },
          );
        },
        { isolation: 'repeatable read' },
      );
      expect(labels(await ctx.raw(Ledger))).toEqual(['nested']);
    });

    it('retry re-runs the whole callback after a TransactionConflictError, rolling back the failed attempt', async () => {
      const seen: number[] = [];
      const result = await db().transaction(
        async (tx, { attempt }) => {
          seen.push(attempt);
          await tx.repository(Ledger).insert({ label: `attempt ${attempt}`, amount: attempt });
          if (attempt < 3) throw new TransactionConflictError('simulated conflict');
          return 'done';
        },
        { retry: { attempts: 3, backoff: FAST_RETRY } },
      );
      expect(result).toBe('done');
      expect(seen).toEqual([1, 2, 3]);
      expect(labels(await ctx.raw(Ledger))).toEqual(['attempt 3']);
    });

    it('retry gives up after the last attempt with the conflict, and never retries other errors', async () => {
      let runs = 0;
      await rejection(
        db().transaction(
          async () => {
            runs++;
            throw new TransactionConflictError('always');
          },
          { retry: { attempts: 2, backoff: FAST_RETRY } },
        ),
        TransactionConflictError,
      );
      expect(runs).toBe(2);
      runs = 0;
      const other = new Error('not a conflict');
      const caught = await db()
        .transaction(
          async () => {
            runs++;
            throw other;
          },
          { retry: { attempts: 5, backoff: FAST_RETRY } },
        )
        .catch((error: unknown) => error);
      expect(caught).toBe(other);
      expect(runs).toBe(1);
      runs = 0;
      await rejection(
        db().transaction(async () => {
          runs++;
          throw new TransactionConflictError('no retry asked');
        }),
        TransactionConflictError,
      );
      expect(runs).toBe(1);
    });

    if (ctx.capabilities.multipleConnections) {
      const isolation: IsolationLevel = features.serializable ? 'serializable' : 'repeatable read';

      it(`two conflicting ${isolation} transactions: without retry one fails with TransactionConflictError`, async () => {
        const account = await db().repository(Account).insert({ email: 'c@x', name: 'c', balance: 0 });
        const { outcomes } = await conflictingIncrements(db(), account.id, isolation, false);
        const failed = outcomes.filter((o) => o.status === 'rejected');
        expect(failed).toHaveLength(1);
        expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(TransactionConflictError);
        expect((await ctx.rawById(Account, account.id))?.balance).toBe(1);
      });

      it(`two conflicting ${isolation} transactions: with retry both succeed and the data is right`, async () => {
        const account = await db().repository(Account).insert({ email: 'r@x', name: 'r', balance: 0 });
        const { outcomes, attempts } = await conflictingIncrements(db(), account.id, isolation, true);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
        expect(Math.max(...attempts)).toBeGreaterThan(1);
        expect((await ctx.rawById(Account, account.id))?.balance).toBe(2);
      });
    }
  });
}
