import { NotFoundError, OptimisticLockError, OutOfBoundsError, ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedItems } from '../support/items.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';
import { Counter, Item } from '../write-entities.js';

const MISSING_ID = '0192f6e4-7b3a-7c4d-8e5f-000000000000';

export function operatorCases(ctx: SuiteContext): void {
  describe('numeric operators in update', () => {
    const db = ctx.shared();
    const items = () => db().repository(Item);
    const counters = () => db().repository(Counter);
    beforeEach(() => ctx.clear(db(), Item, Counter));

    it('increment, decrement, multiply and set on integer and number fields, computed from the stored value', async () => {
      const [row] = await seedItems(items(), { stock: 10, price: 2.5 });
      const a = await items().update(row!.id, { stock: { decrement: 3 }, price: { multiply: 4 } });
      expect(a).toEqual({ ...row, stock: 7, price: 10, version: 2, updatedAt: a.updatedAt });
      const b = await items().update(row!.id, { stock: { increment: 100 }, price: { set: 0.5 }, name: 'n' });
      expect(b).toMatchObject({ stock: 107, price: 0.5, name: 'n', version: 3 });
      const c = await items().update(row!.id, { stock: { multiply: 0 } }, { expectedVersion: 3 });
      expect(c).toMatchObject({ stock: 0, version: 4 });
      expect(await ctx.rawById(Item, row!.id)).toEqual(c);
    });

    it('an operator that changes nothing writes nothing (no version bump)', async () => {
      const [row] = await seedItems(items(), { stock: 0, price: 3 });
      expect(await items().update(row!.id, { stock: { multiply: 5 }, price: { increment: 0 } })).toEqual(row);
      expect(await items().update(row!.id, { stock: { set: 0 } })).toEqual(row);
      expect(await ctx.rawById(Item, row!.id)).toEqual(row);
    });

    it('a result out of the declared bounds raises OutOfBoundsError (not NotFound, not OptimisticLock) and changes nothing', async () => {
      const [row] = await seedItems(items(), { stock: 2 });
      const below = await rejection(items().update(row!.id, { stock: { decrement: 3 } }), OutOfBoundsError);
      expect(below).toMatchObject({
        code: 'OUT_OF_BOUNDS',
        entity: Item.name,
        id: row!.id,
        fields: ['stock'],
      });
      expect(below.retryable).toBe(false);
      await rejection(items().update(row!.id, { stock: { increment: 999 } }), OutOfBoundsError);
      await rejection(items().update(row!.id, { price: { multiply: -1 }, name: 'x' }), OutOfBoundsError);
      await rejection(
        items().update(row!.id, { stock: { decrement: 3 } }, { expectedVersion: 1 }),
        OutOfBoundsError,
      );
      expect(await ctx.rawById(Item, row!.id)).toEqual(row);
      // The bounds are inclusive.
      expect((await items().update(row!.id, { stock: { decrement: 2 } })).stock).toBe(0);
    });

    it('tells a missing row and a version mismatch ("expected version N, found M") apart from out of bounds', async () => {
      const [row] = await seedItems(items(), { stock: 2 });
      await rejection(items().update(MISSING_ID, { stock: { decrement: 1 } }), NotFoundError);
      await rejection(items().update(MISSING_ID, { name: 'x' }, { expectedVersion: 1 }), NotFoundError);
      await items().update(row!.id, { name: 'v2' });
      const stale = await rejection(
        items().update(row!.id, { stock: { decrement: 5 } }, { expectedVersion: 1 }),
        OptimisticLockError,
      );
      expect(stale).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect(stale.message).toContain('expected version 1, found 2');
      const plain = await rejection(
        items().update(row!.id, { name: 'v3' }, { expectedVersion: 5 }),
        OptimisticLockError,
      );
      expect(plain.message).toContain('expected version 5, found 2');
      expect((await ctx.rawById(Item, row!.id))?.version).toBe(2);
    });

    it('refuses operators on fields that are not non-nullable numbers, and malformed operators', async () => {
      const [row] = await seedItems(items(), {});
      const patches: object[] = [
        { name: { increment: 1 } },
        { level: { increment: 1 } },
        { stock: { increment: 1.5 } },
        { stock: { multiply: 0.5 } },
        { stock: { increment: 1, decrement: 1 } },
        { stock: { add: 1 } },
        { stock: {} },
        { price: { increment: Number.POSITIVE_INFINITY } },
        { price: { increment: '1' } },
        { stock: { set: -1 } },
        { version: { increment: 1 } },
      ];
      for (const patch of patches)
        await rejection(() => items().update(row!.id, patch as never), ValidationError);
      expect(await ctx.rawById(Item, row!.id)).toEqual(row);
    });

    it('concurrent decrements never take a value below its minimum: exactly the available ones succeed', async () => {
      const [row] = await seedItems(items(), { stock: 6 });
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => items().update(row!.id, { stock: { decrement: 1 } })),
      );
      const failed = results.filter((r) => r.status === 'rejected');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
      for (const failure of failed)
        expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(OutOfBoundsError);
      expect(await ctx.rawById(Item, row!.id)).toMatchObject({ stock: 0, version: 7 });
    });

    it('operators on an entity without a version field: concurrent increments all apply', async () => {
      const counter = await counters().insert({ name: 'c', hits: 0, score: 1 });
      await Promise.all(
        Array.from({ length: 8 }, () => counters().update(counter.id, { hits: { increment: 1 } })),
      );
      const updated = await counters().update(counter.id, {
        score: { multiply: 1.5 },
        hits: { increment: 2 },
      });
      expect(updated).toEqual({ ...counter, hits: 10, score: 1.5 });
      expect(await ctx.rawById(Counter, counter.id)).toEqual(updated);
      await rejection(counters().update(counter.id, { hits: { decrement: 11 } }), OutOfBoundsError);
      expect((await ctx.rawById(Counter, counter.id))?.hits).toBe(10);
    });
  });
}
