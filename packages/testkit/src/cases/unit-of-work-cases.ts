import { type Database, OptimisticLockError, UniqueViolationError, ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Account, Profile } from '../conformance-entities.js';
import { clockPast } from '../support/eventually.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

let emails = 0;
function email(): string {
  return `user${++emails}@example.test`;
}

async function seedAccounts(db: Database, count: number) {
  return db
    .repository(Account)
    .insertMany(
      Array.from({ length: count }, (_, i) => ({ email: email(), name: `account ${i}`, balance: 100 * i })),
    );
}

export function unitOfWorkCases(ctx: SuiteContext): void {
  describe('unit of work', () => {
    const db = ctx.shared();
    beforeEach(() => ctx.clear(db(), Account, Profile));

    it('identity map: a row read twice (findById, find, findOne) is the same object', async () => {
      const [a, b] = await seedAccounts(db(), 2);
      const uow = db().unitOfWork();
      const first = await uow.findById(Account, a!.id);
      expect(first).toEqual(a);
      expect(await uow.findById(Account, a!.id)).toBe(first);
      const page = await uow.find(Account, { orderBy: 'name' });
      expect(page.items[0]).toBe(first);
      expect(await uow.findOne(Account, { email: b!.email })).toBe(page.items[1]);
      expect(await uow.findById(Account, '0192f6e4-7b3a-7c4d-8e5f-000000000000')).toBeNull();
    });

    it('change tracking writes only the changed fields: a field changed meanwhile by someone else survives', async () => {
      const profile = await db()
        .repository(Profile)
        .insert({ title: 'old title', body: 'old body', views: 1 });
      const uow = db().unitOfWork();
      const mine = (await uow.findById(Profile, profile.id))!;
      await db().repository(Profile).update(profile.id, { body: 'their body' });
      mine.title = 'my title';
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(await ctx.rawById(Profile, profile.id)).toMatchObject({
        title: 'my title',
        body: 'their body',
        views: 1,
      });
    });

    it('persist + flush inserts 2,500 rows in one flush', async () => {
      const uow = db().unitOfWork();
      const rows = Array.from({ length: 2_500 }, (_, i) =>
        uow.persist(Account, { email: email(), name: `bulk ${i}`, balance: i }),
      );
      expect(await uow.flush()).toEqual({ inserted: 2_500, updated: 0, deleted: 0 });
      const raw = await ctx.raw(Account);
      expect(raw).toHaveLength(2_500);
      expect(raw).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    });

    it('remove deletes; removing a row persisted in the same unit of work cancels its insert', async () => {
      const [a, b] = await seedAccounts(db(), 2);
      const uow = db().unitOfWork();
      uow.remove(Account, (await uow.findById(Account, a!.id))!);
      uow.remove(Account, b!);
      const fresh = uow.persist(Account, { email: email(), name: 'never stored', balance: 0 });
      uow.remove(Account, fresh);
      expect(await uow.findById(Account, a!.id)).toBeNull();
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 2 });
      expect(await ctx.raw(Account)).toEqual([]);
    });

    it('a mixed flush writes inserts, updates and deletes together; versions and updatedAt are bumped on the objects', async () => {
      const [a, b, c] = await seedAccounts(db(), 3);
      await clockPast(a!.updatedAt);
      const uow = db().unitOfWork();
      const loadedA = (await uow.findById(Account, a!.id))!;
      const loadedB = (await uow.findById(Account, b!.id))!;
      const loadedC = (await uow.findById(Account, c!.id))!;
      loadedA.balance = 1;
      loadedB.name = 'renamed';
      loadedB.balance = 2;
      uow.remove(Account, loadedC);
      // The deleted row's unique email is reused by an insert of the same flush: deletes go first.
      const created = uow.persist(Account, { email: c!.email, name: 'new', balance: 3 });
      expect(await uow.flush()).toEqual({ inserted: 1, updated: 2, deleted: 1 });
      expect(loadedA.version).toBe(2);
      expect(loadedB.version).toBe(2);
      expect(loadedA.updatedAt.getTime()).toBeGreaterThan(a!.updatedAt.getTime());
      expect(loadedA.createdAt.getTime()).toBe(a!.createdAt.getTime());
      const raw = await ctx.raw(Account);
      expect(raw).toHaveLength(3);
      expect(raw.find((r) => r.id === a!.id)).toEqual(loadedA);
      expect(raw.find((r) => r.id === b!.id)).toEqual(loadedB);
      expect(raw.find((r) => r.id === created.id)).toEqual(created);
      expect(raw.find((r) => r.id === c!.id)).toBeUndefined();
      loadedA.balance = 10;
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(loadedA.version).toBe(3);
      expect((await ctx.rawById(Account, a!.id))?.balance).toBe(10);
    });

    it('a stale row raises OptimisticLockError and nothing of the flush is written', async () => {
      const [a, b, c] = await seedAccounts(db(), 3);
      const uow = db().unitOfWork();
      const loadedA = (await uow.findById(Account, a!.id))!;
      const loadedB = (await uow.findById(Account, b!.id))!;
      const loadedC = (await uow.findById(Account, c!.id))!;
      const theirs = await db().repository(Account).update(b!.id, { name: 'changed by another writer' });
      loadedA.balance = 999;
      loadedB.balance = 999;
      uow.remove(Account, loadedC);
      const created = uow.persist(Account, { email: email(), name: 'new', balance: 0 });
      const error = await rejection(uow.flush(), OptimisticLockError);
      expect(error.id).toBe(b!.id);
      const raw = await ctx.raw(Account);
      expect(raw.find((r) => r.id === a!.id)).toEqual(a);
      expect(raw.find((r) => r.id === b!.id)).toEqual(theirs);
      expect(raw.find((r) => r.id === c!.id)).toEqual(c);
      expect(raw.find((r) => r.id === created.id)).toBeUndefined();
      expect(loadedA.version).toBe(1);
    });

    it('a unique violation raises UniqueViolationError and nothing of the flush is written', async () => {
      const [a, b] = await seedAccounts(db(), 2);
      const uow = db().unitOfWork();
      const loadedA = (await uow.findById(Account, a!.id))!;
      loadedA.name = 'changed in the failing flush';
      uow.remove(Account, (await uow.findById(Account, b!.id))!);
      uow.persist(Account, { email: email(), name: 'fine', balance: 0 });
      uow.persist(Account, { email: a!.email, name: 'duplicate', balance: 0 });
      const error = await rejection(uow.flush(), UniqueViolationError);
      expect(error.fields).toEqual(['email']);
      expect(await ctx.raw(Account)).toEqual([a, b].sort((x, y) => (x!.id < y!.id ? -1 : 1)));
    });

    it('an invalid change made in place raises ValidationError at flush and writes nothing', async () => {
      const [a] = await seedAccounts(db(), 1);
      const uow = db().unitOfWork();
      const loaded = (await uow.findById(Account, a!.id))!;
      loaded.balance = 1.5;
      await rejection(uow.flush(), ValidationError);
      loaded.balance = 5;
      (loaded as { version: number }).version = 7;
      await rejection(uow.flush(), ValidationError);
      expect(await ctx.raw(Account)).toEqual([a]);
    });

    it('a flush with nothing to write takes no connection', async () => {
      await seedAccounts(db(), 3);
      const uow = db().unitOfWork();
      await uow.find(Account);
      let acquired = 0;
      const onAcquire = () => {
        acquired++;
      };
      db().pool.on('acquire', onAcquire);
      try {
        expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
        expect(await db().unitOfWork().flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
      } finally {
        db().pool.off('acquire', onAcquire);
      }
      expect(acquired).toBe(0);
    });

    if (!ctx.capabilities.transactions) return;
    it('a flush inside db.transaction joins it and rolls back with it', async () => {
      const [a] = await seedAccounts(db(), 1);
      const failure = new Error('roll back');
      const uow = db().unitOfWork();
      const loaded = (await uow.findById(Account, a!.id))!;
      const caught = await db()
        .transaction(async () => {
          loaded.balance = 12_345;
          uow.persist(Account, { email: email(), name: 'inside', balance: 1 });
          await uow.flush();
          expect(await db().repository(Account).count()).toBe(2);
          throw failure;
        })
        .catch((error: unknown) => error);
      expect(caught).toBe(failure);
      expect(await ctx.raw(Account)).toEqual([a]);
    });
  });
}
