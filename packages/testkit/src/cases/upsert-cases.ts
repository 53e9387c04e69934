import { UniqueViolationError, ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clockPast } from '../support/eventually.js';
import { itemData, seedItems } from '../support/items.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';
import { Item } from '../write-entities.js';

export function upsertCases(ctx: SuiteContext): void {
  describe('upsert', () => {
    const db = ctx.shared();
    const items = () => db().repository(Item);
    beforeEach(() => ctx.clear(db(), Item));

    it('creates the row when the key is new (version 1), changes it when it exists (version +1, updatedAt)', async () => {
      const create = itemData({ sku: 'up-1', name: 'created' });
      const first = await items().upsert({ where: { sku: 'up-1' }, create, update: { name: 'updated' } });
      expect(first.created).toBe(true);
      expect(first.row).toMatchObject({ ...create, version: 1 });
      expect(first.row.updatedAt.getTime()).toBe(first.row.createdAt.getTime());
      expect(await ctx.raw(Item)).toEqual([first.row]);
      await clockPast(first.row.updatedAt);
      const second = await items().upsert({
        where: { sku: 'up-1' },
        create: itemData({ sku: 'up-1', name: 'ignored' }),
        update: { name: 'updated', stock: 3 },
      });
      expect(second.created).toBe(false);
      expect(second.row).toEqual({
        ...first.row,
        name: 'updated',
        stock: 3,
        version: 2,
        updatedAt: second.row.updatedAt,
      });
      expect(second.row.updatedAt.getTime()).toBeGreaterThan(first.row.updatedAt.getTime());
      expect(await ctx.raw(Item)).toEqual([second.row]);
    });

    it('takes the key from where when create omits it, and works on a compound unique index', async () => {
      const { sku: _sku, ...rest } = itemData({ warehouse: 'w9', bin: 'b1' });
      const created = await items().upsert({
        where: { sku: 'from-where' },
        create: rest as never,
        update: {},
      });
      expect(created).toMatchObject({ created: true, row: { sku: 'from-where' } });
      const byBin = await items().upsert({
        where: { warehouse: 'w9', bin: 'b1' },
        create: itemData({ warehouse: 'w9', bin: 'b1' }),
        update: { tag: 'found' },
      });
      expect(byBin.created).toBe(false);
      expect(byBin.row).toMatchObject({ id: created.row.id, tag: 'found', version: 2 });
      expect(await ctx.raw(Item)).toEqual([byBin.row]);
    });

    it('refuses a where that is not exactly one unique key, a create that contradicts it and an update of the key', async () => {
      const bad: object[] = [
        { where: { name: 'x' }, create: itemData(), update: {} },
        { where: { sku: 'a', barcode: 'b' }, create: itemData(), update: {} },
        { where: { warehouse: 'w1' }, create: itemData(), update: {} },
        { where: {}, create: itemData(), update: {} },
        { where: { sku: null }, create: itemData(), update: {} },
        { where: { sku: 'a' }, create: itemData({ sku: 'b' }), update: {} },
        { where: { sku: 'a' }, create: itemData({ sku: 'a' }), update: { sku: 'c' } },
        { where: { sku: 'a' }, create: itemData({ sku: 'a' }), update: { version: 4 } },
        { where: { sku: 'a' }, create: { sku: 'a' }, update: {} },
      ];
      for (const args of bad) await rejection(() => items().upsert(args as never), ValidationError);
      expect(await ctx.raw(Item)).toEqual([]);
    });

    it('a duplicate on another unique index: refused when creating, irrelevant when the key exists', async () => {
      const [holder, target] = await seedItems(
        items(),
        { barcode: 'taken' },
        { sku: 'key-1', barcode: 'own' },
      );
      const error = await rejection(
        items().upsert({
          where: { sku: 'key-new' },
          create: itemData({ sku: 'key-new', barcode: 'taken' }),
          update: {},
        }),
        UniqueViolationError,
      );
      expect(error.fields).toEqual(['barcode']);
      // The key exists: its row is changed, and the row holding the create's barcode is not touched
      // (MySQL's ON DUPLICATE KEY UPDATE would fire on the barcode index and change that row instead).
      const changed = await items().upsert({
        where: { sku: 'key-1' },
        create: itemData({ sku: 'key-1', barcode: 'taken' }),
        update: { name: 'changed' },
      });
      expect(changed).toMatchObject({ created: false, row: { id: target!.id, name: 'changed', version: 2 } });
      const raw = await ctx.raw(Item);
      expect(raw.find((row) => row.id === holder!.id)).toEqual(holder);
      expect(raw).toHaveLength(2);
      // Changing the key's row so that it duplicates another row is refused too.
      await rejection(
        items().upsert({
          where: { sku: 'key-1' },
          create: itemData({ sku: 'key-1' }),
          update: { barcode: 'taken' },
        }),
        UniqueViolationError,
      );
      expect(await ctx.raw(Item)).toEqual(raw);
    });

    it('concurrent upserts of one new key: one creates, the others change it, one row results', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          items().upsert({
            where: { sku: 'race' },
            create: itemData({ sku: 'race', barcode: `race-${i}` }),
            update: {},
          }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const raw = await ctx.raw(Item);
      expect(raw).toHaveLength(1);
      expect(raw[0]!.version).toBe(6);
      expect(new Set(results.map((r) => r.row.id))).toEqual(new Set([raw[0]!.id]));
    });

    it.runIf(ctx.capabilities.transactions)(
      'upsertMany: new and existing rows in one call, results in order',
      async () => {
        const [existing] = await seedItems(items(), { sku: 'm-1', name: 'old', stock: 1 });
        const rows = [
          itemData({ sku: 'm-2', name: 'two' }),
          itemData({ sku: 'm-1', name: 'one', stock: 9 }),
          itemData({ sku: 'm-3' }),
        ];
        const results = await items().upsertMany(rows, { on: 'sku', update: ['name', 'stock'] });
        expect(results.map((r) => [r.row.sku, r.created, r.row.version])).toEqual([
          ['m-2', true, 1],
          ['m-1', false, 2],
          ['m-3', true, 1],
        ]);
        // Only the listed fields change on the existing row: its barcode and bin stay.
        expect(results[1]!.row).toEqual({
          ...existing,
          name: 'one',
          stock: 9,
          version: 2,
          updatedAt: results[1]!.row.updatedAt,
        });
        const raw = await ctx.raw(Item);
        expect(raw).toHaveLength(3);
        for (const result of results) expect(raw.find((row) => row.id === result.row.id)).toEqual(result.row);
        // Without `update`, every caller-owned field but the key is written.
        const again = await items().upsertMany(
          [itemData({ sku: 'm-3', name: 'replaced', warehouse: 'w5' })],
          { on: ['sku'] },
        );
        expect(again[0]).toMatchObject({
          created: false,
          row: { name: 'replaced', warehouse: 'w5', version: 2 },
        });
      },
    );

    it.runIf(ctx.capabilities.transactions)(
      'upsertMany is all or nothing, and refuses two rows with one key',
      async () => {
        await seedItems(items(), { sku: 'n-1', barcode: 'dup' });
        const before = await ctx.raw(Item);
        await rejection(
          items().upsertMany([itemData({ sku: 'n-2' }), itemData({ sku: 'n-3', barcode: 'dup' })], {
            on: 'sku',
          }),
          UniqueViolationError,
        );
        expect(await ctx.raw(Item)).toEqual(before);
        await rejection(
          () => items().upsertMany([itemData({ sku: 'n-4' }), itemData({ sku: 'n-4' })], { on: 'sku' }),
          ValidationError,
        );
        await rejection(() => items().upsertMany([itemData()], { on: 'name' as never }), ValidationError);
        await rejection(
          () => items().upsertMany([itemData()], { on: 'sku', update: ['sku'] as never }),
          ValidationError,
        );
        expect(await ctx.raw(Item)).toEqual(before);
        expect(await items().upsertMany([], { on: 'sku' })).toEqual([]);
      },
    );
  });
}
