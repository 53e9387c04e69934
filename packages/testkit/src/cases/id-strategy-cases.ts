import {
  type Database,
  UniqueViolationError,
  UnsupportedFeatureError,
  ValidationError,
  defineEntity,
  field,
  sql,
} from '@berth/core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';
import { Tag, Ticket } from '../write-entities.js';

/** A table made outside berth, with the database's own counter, mapped by an entity afterwards. */
const Legacy = defineEntity('conformance_legacy_accounts', {
  id: field.id({ strategy: 'increment' }),
  name: field.string({ max: 50 }),
});

async function createLegacyTable(db: Database): Promise<void> {
  const table = sql.id(Legacy.name);
  await db.execute`DROP TABLE IF EXISTS ${table}`;
  if (db.backend === 'mysql')
    await db.execute`CREATE TABLE ${table} (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL) ENGINE=InnoDB`;
  else await db.execute`CREATE TABLE ${table} (id bigserial PRIMARY KEY, name varchar(50) NOT NULL)`;
  await db.execute`INSERT INTO ${table} (name) VALUES (${'first'}), (${'second'})`;
}

/** The id strategies: UUIDv7 by default (every other group), caller-supplied strings, database integers. */
export function idStrategyCases(ctx: SuiteContext): void {
  describe('id strategies: supplied ids', () => {
    const db = ctx.shared();
    const tags = () => db().repository(Tag);
    beforeAll(() => db().ensureSchema([Tag]));
    beforeEach(() => ctx.clear(db(), Tag));

    it('stores the id the caller gives, reads, updates and deletes by it', async () => {
      const row = await tags().insert({ id: 'sku-Ω-1', label: 'first' });
      expect(row).toEqual({ id: 'sku-Ω-1', label: 'first', version: 1 });
      expect(await tags().getById('sku-Ω-1')).toEqual(row);
      expect(await ctx.rawById(Tag, 'sku-Ω-1')).toEqual(row);
      const many = await tags().insertMany([
        { id: 'b', label: 'second' },
        { id: 'a', label: 'third' },
      ]);
      expect(many.map((r) => r.id)).toEqual(['b', 'a']);
      // Ordered by the id's bytes, as every other string id.
      expect((await tags().find()).items.map((r) => r.id)).toEqual(['a', 'b', 'sku-Ω-1']);
      expect(await tags().update('a', { label: 'changed' })).toMatchObject({ id: 'a', version: 2 });
      await tags().delete('b');
      expect(await tags().findById('b')).toBeNull();
    });

    it('refuses a missing, empty, too long or repeated id, and an id in a patch', async () => {
      const missing = await rejection(tags().insert({ label: 'x' } as never), ValidationError);
      expect(missing.issues).toEqual([{ field: 'id', message: 'id is required' }]);
      await rejection(tags().insert({ id: '', label: 'x' }), ValidationError);
      await rejection(tags().insert({ id: 'x'.repeat(65), label: 'x' }), ValidationError);
      await rejection(tags().insert({ id: 7 as never, label: 'x' }), ValidationError);
      await tags().insert({ id: 'same', label: 'x' });
      const duplicate = await rejection(tags().insert({ id: 'same', label: 'y' }), UniqueViolationError);
      expect(duplicate.fields).toEqual(['id']);
      const patch = await rejection(tags().update('same', { id: 'other' } as never), ValidationError);
      expect(patch.issues?.[0]).toMatchObject({ field: 'id' });
      expect(await ctx.raw(Tag)).toEqual([{ id: 'same', label: 'x', version: 1 }]);
    });

    it('a unit of work inserts supplied ids at flush', async () => {
      const uow = db().unitOfWork();
      const row = uow.persist(Tag, { id: 'uow', label: 'tracked' });
      expect(row.id).toBe('uow');
      await uow.flush();
      expect(await tags().getById('uow')).toMatchObject({ label: 'tracked', version: 1 });
    });
  });

  if (!ctx.capabilities.generatedIds) {
    describe('id strategies: database-generated ids are refused', () => {
      it('refuses the repository and ensureSchema with UnsupportedFeatureError before anything is sent', async () => {
        const db = await ctx.open();
        const sent: string[] = [];
        db.on('query', (e) => sent.push(e.statement));
        const error = await rejection(() => db.repository(Ticket), UnsupportedFeatureError);
        expect(error).toMatchObject({ feature: 'generated-ids', retryable: false });
        await rejection(db.ensureSchema([Ticket]), UnsupportedFeatureError);
        expect(sent).toEqual([]);
      });
    });
    return;
  }

  describe('id strategies: database-generated ids', () => {
    const db = ctx.shared();
    const tickets = () => db().repository(Ticket);
    beforeAll(() => db().ensureSchema([Ticket]));
    beforeEach(() => ctx.clear(db(), Ticket));

    it('insert hands back the id the database made, a number, and reads, updates and deletes by it', async () => {
      const first = await tickets().insert({ title: 'one', points: 1 });
      const second = await tickets().insert({ title: 'two', points: 2 });
      expect(typeof first.id).toBe('number');
      expect(Number.isSafeInteger(first.id) && first.id >= 1).toBe(true);
      expect(second.id).toBeGreaterThan(first.id);
      expect(first).toMatchObject({ title: 'one', points: 1, version: 1 });
      expect(await tickets().getById(first.id)).toEqual(first);
      expect(await ctx.rawById(Ticket, first.id as never)).toEqual(first);
      const changed = await tickets().update(first.id, { points: { increment: 4 } });
      expect(changed).toMatchObject({ id: first.id, points: 5, version: 2 });
      await tickets().delete(second.id);
      expect(await tickets().findById(second.id)).toBeNull();
      expect(await tickets().find({ where: { id: { gte: first.id } } })).toMatchObject({
        items: [{ id: first.id }],
      });
    });

    it('insertMany returns every row with its own id, in order, across several statements', async () => {
      const count = 2_100;
      const rows = await tickets().insertMany(
        Array.from({ length: count }, (_, i) => ({ title: `t${i}`, points: i })),
      );
      expect(rows).toHaveLength(count);
      expect(new Set(rows.map((r) => r.id)).size).toBe(count);
      for (let i = 1; i < count; i++) expect(rows[i]!.id).toBeGreaterThan(rows[i - 1]!.id);
      // Each id names the row it was handed back with.
      for (const i of [0, 999, 1_000, 2_099]) {
        expect(await tickets().getById(rows[i]!.id)).toMatchObject({ title: `t${i}`, points: i });
      }
      expect(await tickets().count()).toBe(count);
    });

    it('sorts and pages by id as numbers, not as text', async () => {
      const rows = await tickets().insertMany(
        Array.from({ length: 12 }, (_, i) => ({ title: `p${i}`, points: 0 })),
      );
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await tickets().find({ limit: 5, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(rows.map((r) => r.id));
    });

    it('refuses an id on insert, a string id, and upserts and units of work; an id that names nothing is null', async () => {
      await rejection(tickets().insert({ id: 5, title: 'x', points: 0 } as never), ValidationError);
      await rejection(tickets().findById('1' as never), ValidationError);
      expect(await tickets().findById(1.5)).toBeNull();
      expect(await tickets().findById(-3)).toBeNull();
      await rejection(tickets().update(0, { points: 1 }), Error);
      const upsert = await rejection(
        tickets().upsert({ where: { title: 'x' }, create: { title: 'x', points: 0 }, update: { points: 1 } }),
        UnsupportedFeatureError,
      );
      expect(upsert.feature).toBe('generated-ids');
      const uow = db().unitOfWork();
      await rejection(() => uow.persist(Ticket, { title: 'x', points: 0 }), UnsupportedFeatureError);
      await rejection(tickets().find({ where: { id: { contains: '1' } } as never }), ValidationError);
      expect(await tickets().count()).toBe(0);
    });

    it('a failed insertMany inserts nothing, and the ids of a rolled-back transaction are not handed out again', async () => {
      const kept = await tickets().insert({ title: 'kept', points: 0 });
      await rejection(
        tickets().insertMany([
          { title: 'a', points: 0 },
          { title: 'kept', points: 0 },
        ]),
        UniqueViolationError,
      );
      expect(await tickets().count()).toBe(1);
      if (ctx.capabilities.transactions) {
        const failure = new Error('roll back');
        let inside: number | undefined;
        const caught = await db()
          .transaction(async (tx) => {
            inside = (await tx.repository(Ticket).insert({ title: 'inside', points: 0 })).id;
            expect(await tx.repository(Ticket).getById(inside)).toMatchObject({ title: 'inside' });
            throw failure;
          })
          .catch((error: unknown) => error);
        expect(caught).toBe(failure);
        expect(await tickets().findById(inside!)).toBeNull();
        const after = await tickets().insert({ title: 'after', points: 0 });
        expect(after.id).toBeGreaterThan(kept.id);
      }
    });

    it('maps an existing table whose ids the database counts (bigserial / AUTO_INCREMENT)', async () => {
      const fresh = await ctx.open();
      await createLegacyTable(fresh);
      await fresh.ensureSchema([Legacy]);
      const accounts = fresh.repository(Legacy);
      const existing = (await accounts.find()).items;
      expect(existing.map((r) => r.name)).toEqual(['first', 'second']);
      const added = await accounts.insert({ name: 'third' });
      expect(added.id).toBeGreaterThan(existing[1]!.id);
      expect(await accounts.getById(added.id)).toEqual(added);
      await fresh.execute`DROP TABLE ${sql.id(Legacy.name)}`;
    });
  });
}
