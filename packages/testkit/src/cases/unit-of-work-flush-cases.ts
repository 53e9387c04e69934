import { ConcurrentFlushError, type Database, UniqueViolationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Account } from '../conformance-entities.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

let emails = 0;
const email = () => `inflight${++emails}@example.test`;

async function seed(db: Database) {
  return db.repository(Account).insert({ email: email(), name: 'original', balance: 10 });
}

/**
 * The unit of work never forgets a change: what the caller changes while `flush()` is in flight is written
 * by the next flush, never lost in the snapshot and never overwritten by the flushed value. A second
 * `flush()` made while one runs is refused with `ConcurrentFlushError`, writes nothing and loses nothing.
 */
export function unitOfWorkFlushCases(ctx: SuiteContext): void {
  describe('unit of work: changes during a flush', () => {
    const db = ctx.shared();
    beforeEach(() => ctx.clear(db(), Account));

    it('a field changed while the flush is in flight is kept on the object and written by the next flush', async () => {
      const stored = await seed(db());
      const uow = db().unitOfWork();
      const account = (await uow.findById(Account, stored.id))!;
      account.name = 'flushed';
      const first = uow.flush();
      account.balance = 99; // made after flush() was called, while its write is in flight
      expect(await first).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(account).toMatchObject({ name: 'flushed', balance: 99, version: 2 });
      expect(await ctx.rawById(Account, stored.id)).toMatchObject({
        name: 'flushed',
        balance: 10,
        version: 2,
      });
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(await ctx.rawById(Account, stored.id)).toMatchObject({
        name: 'flushed',
        balance: 99,
        version: 3,
      });
      expect(account.version).toBe(3);
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    });

    it('the same field changed again while the flush is in flight is not overwritten by the flushed value', async () => {
      const stored = await seed(db());
      const uow = db().unitOfWork();
      const account = (await uow.findById(Account, stored.id))!;
      account.name = 'first';
      const first = uow.flush();
      account.name = 'second';
      await first;
      expect(account.name).toBe('second');
      expect((await ctx.rawById(Account, stored.id))!.name).toBe('first');
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(await ctx.rawById(Account, stored.id)).toMatchObject({ name: 'second', version: 3 });
    });

    it('a new row changed while its insert is in flight: the insert writes the row as it was, the next flush the change', async () => {
      const uow = db().unitOfWork();
      const account = uow.persist(Account, { email: email(), name: 'as persisted', balance: 1 });
      const first = uow.flush();
      account.name = 'changed in flight';
      expect(await first).toEqual({ inserted: 1, updated: 0, deleted: 0 });
      expect(await ctx.rawById(Account, account.id)).toMatchObject({ name: 'as persisted', version: 1 });
      expect(account.name).toBe('changed in flight');
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(await ctx.rawById(Account, account.id)).toMatchObject({ name: 'changed in flight', version: 2 });
    });

    it('a new row removed while its insert is in flight is deleted by the next flush, not forgotten', async () => {
      const uow = db().unitOfWork();
      const account = uow.persist(Account, { email: email(), name: 'short-lived', balance: 1 });
      const first = uow.flush();
      uow.remove(Account, account);
      expect(await first).toEqual({ inserted: 1, updated: 0, deleted: 0 });
      expect(await uow.findById(Account, account.id)).toBeNull();
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 1 });
      expect(await ctx.raw(Account)).toEqual([]);
    });

    it('a new row removed while its failing insert is in flight is forgotten; the flush keeps its other changes', async () => {
      const taken = await seed(db());
      const uow = db().unitOfWork();
      const doomed = uow.persist(Account, { email: taken.email, name: 'duplicate', balance: 1 });
      const first = uow.flush();
      uow.remove(Account, doomed);
      await rejection(first, UniqueViolationError);
      expect(uow.size).toBe(0);
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
      expect(await ctx.raw(Account)).toEqual([taken]);
    });

    it('a second flush() while one runs is a ConcurrentFlushError that writes nothing and loses nothing', async () => {
      const stored = await seed(db());
      const uow = db().unitOfWork();
      const account = (await uow.findById(Account, stored.id))!;
      account.name = 'by the first flush';
      const first = uow.flush();
      account.balance = 42;
      const added = uow.persist(Account, { email: email(), name: 'by a later flush', balance: 2 });
      // Both made while the first runs (no await in between: the first may not settle before them).
      const refused = [uow.flush(), uow.flush()];
      for (const second of refused) {
        const error = await rejection(second, ConcurrentFlushError);
        expect(error.code).toBe('CONCURRENT_FLUSH');
        expect(error.retryable).toBe(false);
      }
      expect(await first).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      // The refused calls wrote nothing: only the first flush's change is stored.
      expect(await ctx.rawById(Account, stored.id)).toMatchObject({
        name: 'by the first flush',
        balance: 10,
        version: 2,
      });
      expect(await ctx.rawById(Account, added.id)).toBeUndefined();
      // Once the first has settled, a flush writes everything the refused calls left pending.
      expect(await uow.flush()).toEqual({ inserted: 1, updated: 1, deleted: 0 });
      expect(await ctx.rawById(Account, stored.id)).toMatchObject({ balance: 42, version: 3 });
      expect(await ctx.rawById(Account, added.id)).toMatchObject({ name: 'by a later flush' });
    });

    it('after a flush that fails, the next flush is accepted and writes what is pending', async () => {
      const taken = await seed(db());
      const uow = db().unitOfWork();
      const doomed = uow.persist(Account, { email: taken.email, name: 'duplicate', balance: 1 });
      const first = uow.flush();
      const second = uow.flush();
      await rejection(second, ConcurrentFlushError);
      await rejection(first, UniqueViolationError);
      doomed.email = email();
      expect(await uow.flush()).toEqual({ inserted: 1, updated: 0, deleted: 0 });
      expect(await ctx.rawById(Account, doomed.id)).toMatchObject({ name: 'duplicate' });
    });
  });
}
