import { OutOfBoundsError, ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clockPast } from '../support/eventually.js';
import { seedItems } from '../support/items.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';
import { Item } from '../write-entities.js';

class Rollback extends Error {}

export function setWriteCases(ctx: SuiteContext): void {
  describe('updateMany and deleteMany', () => {
    const db = ctx.shared();
    const items = () => db().repository(Item);
    beforeEach(() => ctx.clear(db(), Item));

    it('updateMany changes every matching row in one call: values, version +1, updatedAt; others untouched', async () => {
      const [a, b, c] = await seedItems(items(), { tag: 'x' }, { tag: 'x' }, { tag: 'y' });
      await clockPast(a!.updatedAt);
      const changed = await items().updateMany({ tag: 'x' }, { name: 'renamed', price: 9.75 });
      expect(changed).toBe(2);
      const raw = await ctx.raw(Item);
      for (const before of [a!, b!]) {
        const after = raw.find((row) => row.id === before.id)!;
        expect(after).toEqual({
          ...before,
          name: 'renamed',
          price: 9.75,
          version: 2,
          updatedAt: after.updatedAt,
        });
        expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
      }
      expect(raw.find((row) => row.id === c!.id)).toEqual(c);
      expect(await items().updateMany({ tag: 'none' }, { name: 'nobody' })).toBe(0);
    });

    it('updateMany takes the filters find takes, and {} as the explicit "every row"', async () => {
      await seedItems(items(), { stock: 1 }, { stock: 5 }, { stock: 9 });
      expect(await items().updateMany({ stock: { gte: 5 }, or: [{ tag: null }] }, { tag: 'big' })).toBe(2);
      expect(await items().count({ tag: 'big' })).toBe(2);
      expect(await items().updateMany({}, { tag: 'all' })).toBe(3);
      expect(await items().count({ tag: 'all' })).toBe(3);
    });

    it('updateMany and deleteMany refuse a missing filter, a bad filter and a bad patch, changing nothing', async () => {
      await seedItems(items(), {}, {});
      const before = await ctx.raw(Item);
      await rejection(() => items().updateMany(undefined as never, { name: 'x' }), ValidationError);
      await rejection(() => items().deleteMany(undefined as never), ValidationError);
      await rejection(() => items().updateMany({ nope: 1 } as never, { name: 'x' }), ValidationError);
      await rejection(() => items().deleteMany({ stock: 'ten' } as never), ValidationError);
      const badPatches: object[] = [
        {},
        { nope: 1 },
        { version: 3 },
        { updatedAt: new Date() },
        { name: 5 },
        { stock: 5000 },
      ];
      for (const patch of badPatches)
        await rejection(() => items().updateMany({}, patch as never), ValidationError);
      expect(await ctx.raw(Item)).toEqual(before);
    });

    it('updateMany with an operator applies it to every matching row', async () => {
      const rows = await seedItems(items(), { stock: 1, tag: 'x' }, { stock: 7, tag: 'x' }, { stock: 3 });
      expect(
        await items().updateMany({ tag: 'x' }, { stock: { increment: 5 }, price: { multiply: 2 } }),
      ).toBe(2);
      const raw = await ctx.raw(Item);
      expect(raw.map((row) => [row.stock, row.price, row.version])).toEqual([
        [6, 5, 2],
        [12, 5, 2],
        [3, 2.5, 1],
      ]);
      expect(raw[2]).toEqual(rows[2]);
    });

    it('updateMany refuses the whole change when an operator would take any matching row out of bounds', async () => {
      await seedItems(items(), { stock: 5 }, { stock: 0 }, { stock: 999 }, { stock: 2 });
      const before = await ctx.raw(Item);
      const below = await rejection(items().updateMany({}, { stock: { decrement: 1 } }), OutOfBoundsError);
      expect(below).toMatchObject({ code: 'OUT_OF_BOUNDS', entity: Item.name, fields: ['stock'], rows: 1 });
      const above = await rejection(items().updateMany({}, { stock: { increment: 2 } }), OutOfBoundsError);
      expect(above.rows).toBe(1);
      await rejection(
        items().updateMany({ stock: { gte: 2 } }, { stock: { multiply: -1 } }),
        OutOfBoundsError,
      );
      expect(await ctx.raw(Item)).toEqual(before);
      // The same change restricted to rows that stay inside is applied.
      expect(await items().updateMany({ stock: { gte: 1, lte: 5 } }, { stock: { decrement: 1 } })).toBe(2);
      expect((await ctx.raw(Item)).map((row) => row.stock).sort((a, b) => a - b)).toEqual([0, 1, 4, 999]);
    });

    it('deleteMany deletes every matching row and returns the count; {} deletes every row', async () => {
      const [a, b, c] = await seedItems(items(), { tag: 'gone' }, { tag: 'gone' }, { tag: 'kept' });
      expect(await items().deleteMany({ tag: 'gone' })).toBe(2);
      expect((await ctx.raw(Item)).map((row) => row.id)).toEqual([c!.id]);
      expect(await items().deleteMany({ id: { in: [a!.id, b!.id] } })).toBe(0);
      expect(await items().deleteMany({})).toBe(1);
      expect(await ctx.raw(Item)).toEqual([]);
    });

    it.runIf(ctx.capabilities.transactions)(
      'updateMany and deleteMany join the current transaction',
      async () => {
        await seedItems(items(), { tag: 'x', stock: 4 }, { tag: 'x', stock: 6 });
        const before = await ctx.raw(Item);
        const error = await rejection(
          db().transaction(async (tx) => {
            const repo = tx.repository(Item);
            expect(await repo.updateMany({ tag: 'x' }, { stock: { decrement: 4 } })).toBe(2);
            expect((await repo.find({ orderBy: 'stock' })).items.map((row) => row.stock)).toEqual([0, 2]);
            expect(await repo.deleteMany({ stock: 0 })).toBe(1);
            expect(await repo.count({})).toBe(1);
            throw new Rollback('undo');
          }),
          Rollback,
        );
        expect(error.message).toBe('undo');
        expect(await ctx.raw(Item)).toEqual(before);
      },
    );
  });
}
