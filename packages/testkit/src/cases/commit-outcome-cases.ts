import { CommitOutcomeUnknownError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../conformance-entities.js';
import { expectNoLeaks } from '../support/expect-no-leaks.js';
import type { SuiteContext } from '../support/suite-context.js';

/**
 * A commit whose reply is lost after the server applied it (`dropNextCommitReply`): the adapter must find
 * the outcome out (PostgreSQL's `txid_status`, MySQL's commit marker, MongoDB's commit and write retries)
 * and answer success, with the work stored exactly once and no connection leaked. Registered only when
 * the target has the hook; an in-process backend (PGlite) has no connection to lose.
 */
export function commitOutcomeCases(ctx: SuiteContext): void {
  const { dropNextCommitReply } = ctx.target;
  if (!dropNextCommitReply) return;

  describe('a lost commit reply', () => {
    if (ctx.capabilities.transactions) {
      it('a transaction whose COMMIT reply is lost resolves as committed: stored once, nothing leaks', async () => {
        // A pool of one: the resolution must work within it, on a fresh connection.
        const db = await ctx.open({ pool: { max: 1, acquireTimeoutMs: 5_000 } });
        const ledger = db.repository(Ledger);
        const row = await ledger.insert({ label: 'raise', amount: 1000 });
        await dropNextCommitReply('transaction');
        const result = await db.transaction(async (tx) => {
          const current = await tx.repository(Ledger).getById(row.id);
          return tx.repository(Ledger).update(row.id, { amount: current.amount + 100 });
        });
        // What the callback returned reaches the caller, as for any committed transaction.
        expect(result).toMatchObject({ id: row.id, amount: 1100 });
        expect((await ctx.rawById(Ledger, row.id))?.amount).toBe(1100);
        // The connection that lost its reply was destroyed; the pool is usable and agrees with the server.
        expect((await ledger.getById(row.id)).amount).toBe(1100);
        await expectNoLeaks(ctx, db);
      });
    }

    if (ctx.target.loneInsertReplyLost === 'unknown') {
      it('a lone insert whose reply is lost is CommitOutcomeUnknownError (it was stored once), nothing leaks', async () => {
        const db = await ctx.open({ pool: { max: 1, acquireTimeoutMs: 5_000 } });
        const ledger = db.repository(Ledger);
        await ledger.count();
        await dropNextCommitReply('lone-insert');
        const error = await ledger.insert({ label: 'lone insert, reply lost, unknown', amount: 7 }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
        expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
        const stored = (await ctx.raw(Ledger)).filter((r) => r.label === 'lone insert, reply lost, unknown');
        expect(stored).toHaveLength(1);
        await expectNoLeaks(ctx, db);
      });
      return;
    }
    it('a lone insert whose reply is lost resolves as stored: exactly one row, nothing leaks', async () => {
      const db = await ctx.open({ pool: { max: 1, acquireTimeoutMs: 5_000 } });
      const ledger = db.repository(Ledger);
      await ledger.count();
      await dropNextCommitReply('lone-insert');
      const row = await ledger.insert({ label: 'lone insert, reply lost', amount: 7 });
      const stored = (await ctx.raw(Ledger)).filter((r) => r.label === 'lone insert, reply lost');
      expect(stored.map((r) => r.id)).toEqual([row.id]);
      await expectNoLeaks(ctx, db);
    });
  });
}
