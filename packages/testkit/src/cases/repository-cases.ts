import {
  type Database,
  NotFoundError,
  OptimisticLockError,
  type RowOf,
  UniqueViolationError,
  ValidationError,
} from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Widget } from '../conformance-entities.js';
import { clockPast } from '../support/eventually.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';
import { UUID_V7, uuidv7Time } from '../support/uuid.js';

let codes = 0;
/** A unique `code` for each widget a case inserts. */
function code(): string {
  return `w-${++codes}`;
}

/** Strings that break naive escaping, quoting, LIKE patterns or byte handling. */
export const AWKWARD_STRINGS: readonly string[] = [
  '',
  ' leading and trailing ',
  'Zürich — 東京 — Ελλάδα — مرحبا',
  '🚀👩‍👩‍👧 emoji, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  `it's "quoted" \`back\``,
  'back\\slash \\\\ \\n \\0 \\x00',
  '100% _under_score_ %_%',
  "'; DROP TABLE conformance_widgets; --",
  'line\nbreak\ttab\r\n',
];

export function repositoryCases(ctx: SuiteContext): void {
  describe('repository', () => {
    const db = ctx.shared();
    const widgets = () => db().repository(Widget);
    beforeEach(() => ctx.clear(db(), Widget));

    describe('insert', () => {
      it('returns the stored row: a time-ordered UUIDv7 id, version 1, createdAt = updatedAt', async () => {
        const before = Date.now();
        const first = await widgets().insert({ label: 'first', code: code() });
        const second = await widgets().insert({ label: 'second', code: code() });
        const after = Date.now();
        for (const row of [first, second]) {
          expect(row.id).toMatch(UUID_V7);
          expect(uuidv7Time(row.id)).toBeGreaterThanOrEqual(before);
          expect(uuidv7Time(row.id)).toBeLessThanOrEqual(after);
          expect(row.version).toBe(1);
          expect(row.createdAt).toBeInstanceOf(Date);
          expect(row.updatedAt.getTime()).toBe(row.createdAt.getTime());
        }
        expect(first.id < second.id).toBe(true);
        expect(await widgets().findById(first.id)).toEqual(first);
        const raw = await ctx.rawById(Widget, first.id);
        expect(raw).toEqual(first);
      });

      it('applies defaults (constants and per-row functions) and stores omitted nullable fields as null', async () => {
        const a = await widgets().insert({ label: 'a', code: code() });
        const b = await widgets().insert({ label: 'b', code: code() });
        expect(a).toMatchObject({
          text: '',
          count: 0,
          ratio: 0,
          enabled: true,
          payload: {},
          note: null,
          score: null,
        });
        expect(a.happenedAt.toISOString()).toBe('2024-01-01T00:00:00.000Z');
        expect(a.token).not.toBe(b.token);
        expect(await ctx.rawById(Widget, a.id)).toEqual(a);
      });

      it.each(AWKWARD_STRINGS.map((s) => [JSON.stringify(s), s]))(
        'round-trips the string %s exactly',
        async (_, text) => {
          const row = await widgets().insert({ label: 'strings', code: code(), text, note: text });
          expect((await widgets().getById(row.id)).text).toBe(text);
          expect((await ctx.rawById(Widget, row.id))?.text).toBe(text);
          expect((await ctx.rawById(Widget, row.id))?.note).toBe(text);
        },
      );

      it('round-trips every field kind exactly', async () => {
        const cases: Array<Partial<RowOf<typeof Widget>>> = [
          { count: Number.MAX_SAFE_INTEGER, ratio: 0.1 + 0.2, enabled: false, score: -1_000 },
          { count: Number.MIN_SAFE_INTEGER, ratio: -1.5e-300, enabled: true, score: 1_000 },
          { count: -1, ratio: 1.7976931348623157e308, score: 0 },
          { count: 0, ratio: -0.000123456789012345 },
          { happenedAt: new Date('2024-02-29T23:59:59.999Z') },
          { happenedAt: new Date(Date.UTC(1000, 0, 1)) },
          { happenedAt: new Date('9999-12-31T23:59:59.999Z') },
          { happenedAt: new Date('1969-12-31T23:59:59.001Z') },
          {
            payload: {
              nested: { deeper: [1, 2.5, -3, 'x', null, true, false, { k: 'v' }] },
              'ключ 🔑': 'quo\'te"',
            },
          },
          { payload: [] },
          { payload: [[], {}, [[[]]], ''] },
          { payload: 'a JSON string' },
          { payload: 12345.678 },
          { payload: true },
          { payload: { big: Number.MAX_SAFE_INTEGER, small: -Number.MAX_SAFE_INTEGER, tiny: 5e-324 } },
          { note: null, score: null },
        ];
        for (const values of cases) {
          const row = await widgets().insert({ label: 'kinds', code: code(), ...values } as never);
          const read = await widgets().getById(row.id);
          expect(read).toEqual(row);
          for (const [name, value] of Object.entries(values)) {
            if (value instanceof Date)
              expect((read[name as keyof typeof read] as Date).getTime()).toBe(value.getTime());
            else expect(read[name as keyof typeof read]).toStrictEqual(value);
          }
          expect(await ctx.rawById(Widget, row.id)).toEqual(row);
        }
      });
    });

    describe('reads', () => {
      it('findById gives null for a missing id and for any garbage string, never an error (update and delete: NotFoundError)', async () => {
        await widgets().insert({ label: 'present', code: code() });
        const garbage = [
          '',
          'not-a-uuid',
          '00000000-0000-0000-0000-000000000000',
          '0192f6e4-7b3a-7c4d-8e5f-000000000000',
          "' OR 1=1 --",
          '" OR ""="',
          '%',
          '_',
          '\\',
          'x'.repeat(1_000),
          '🚀',
          'nul\u0000byte',
          '{"$ne": null}',
        ];
        for (const id of garbage) {
          expect(await widgets().findById(id), JSON.stringify(id)).toBeNull();
          await rejection(widgets().update(id, { label: 'x' }), NotFoundError);
          await rejection(widgets().delete(id), NotFoundError);
        }
      });

      it('getById throws NotFoundError naming the entity and id', async () => {
        const error = await rejection(
          widgets().getById('0192f6e4-7b3a-7c4d-8e5f-000000000000'),
          NotFoundError,
        );
        expect(error.entity).toBe(Widget.name);
        expect(error.id).toBe('0192f6e4-7b3a-7c4d-8e5f-000000000000');
      });

      it('findOne returns the first match in the given order, or null', async () => {
        await widgets().insert({ label: 'b', code: code(), count: 2 });
        const c = await widgets().insert({ label: 'c', code: code(), count: 3 });
        await widgets().insert({ label: 'a', code: code(), count: 1 });
        expect(await widgets().findOne({ count: { gte: 2 } }, '-count')).toEqual(c);
        expect((await widgets().findOne(undefined, 'label'))?.label).toBe('a');
        expect(await widgets().findOne({ label: 'zzz' })).toBeNull();
      });

      it('count counts all rows or the rows matching a filter', async () => {
        await widgets().insertMany([1, 2, 3, 4, 5].map((n) => ({ label: `n${n}`, code: code(), count: n })));
        expect(await widgets().count()).toBe(5);
        expect(await widgets().count({ count: { gt: 2 } })).toBe(3);
        expect(await widgets().count({ label: 'none' })).toBe(0);
      });
    });

    describe('insertMany', () => {
      it('inserts every row and returns them as stored', async () => {
        const rows = await widgets().insertMany(
          Array.from({ length: 25 }, (_, i) => ({ label: `many ${i}`, code: code(), count: i })),
        );
        expect(rows).toHaveLength(25);
        expect(new Set(rows.map((r) => r.id)).size).toBe(25);
        expect(await ctx.raw(Widget)).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
      });

      it('is all or nothing: one invalid row writes nothing', async () => {
        const error = await rejection(
          widgets().insertMany([
            { label: 'ok', code: code() },
            { label: '', code: code() },
            { label: 'ok too', code: code() },
          ]),
          ValidationError,
        );
        expect(error.issues.some((issue) => issue.field === 'label')).toBe(true);
        expect(await ctx.raw(Widget)).toEqual([]);
      });

      it('is all or nothing: a duplicate (in the batch or with a stored row) writes nothing', async () => {
        const stored = await widgets().insert({ label: 'stored', code: code() });
        await rejection(
          widgets().insertMany([
            { label: 'x', code: code() },
            { label: 'dup of stored', code: stored.code },
          ]),
          UniqueViolationError,
        );
        const twin = code();
        await rejection(
          widgets().insertMany([
            { label: 'x', code: code() },
            { label: 'twin 1', code: twin },
            { label: 'twin 2', code: twin },
          ]),
          UniqueViolationError,
        );
        expect(await ctx.raw(Widget)).toEqual([stored]);
      });
    });

    describe('update', () => {
      async function inserted(db: Database) {
        const row = await db.repository(Widget).insert({ label: 'orig', code: code(), count: 7, note: 'n' });
        await clockPast(row.updatedAt);
        return row;
      }

      it('changes only the given fields, bumps the version, advances updatedAt, keeps createdAt', async () => {
        const row = await inserted(db());
        const updated = await widgets().update(row.id, { label: 'changed', note: null });
        expect(updated).toEqual({
          ...row,
          label: 'changed',
          note: null,
          version: 2,
          updatedAt: updated.updatedAt,
        });
        expect(updated.updatedAt.getTime()).toBeGreaterThan(row.updatedAt.getTime());
        expect(updated.createdAt.getTime()).toBe(row.createdAt.getTime());
        expect(await ctx.rawById(Widget, row.id)).toEqual(updated);
      });

      it('writes nothing for a patch that changes nothing (no version bump)', async () => {
        const row = await inserted(db());
        expect(await widgets().update(row.id, { label: 'orig', count: 7 })).toEqual(row);
        expect(await widgets().update(row.id, {})).toEqual(row);
        expect(await ctx.rawById(Widget, row.id)).toEqual(row);
      });

      it('applies with a matching expectedVersion; a mismatch raises OptimisticLockError and changes nothing', async () => {
        const row = await inserted(db());
        const v2 = await widgets().update(row.id, { count: 8 }, { expectedVersion: 1 });
        expect(v2.version).toBe(2);
        const error = await rejection(
          widgets().update(row.id, { count: 9 }, { expectedVersion: 1 }),
          OptimisticLockError,
        );
        expect(error).toMatchObject({
          entity: Widget.name,
          id: row.id,
          expectedVersion: 1,
          retryable: false,
        });
        expect(await ctx.rawById(Widget, row.id)).toEqual(v2);
      });

      it('refuses unknown and managed fields with ValidationError and changes nothing', async () => {
        const row = await inserted(db());
        const patches: object[] = [
          { nope: 1 },
          { label: 'x', nope: 1 },
          { id: 'other' },
          { version: 5 },
          { createdAt: new Date() },
          { updatedAt: new Date() },
        ];
        for (const patch of patches) {
          await rejection(widgets().update(row.id, patch as never), ValidationError);
        }
        expect(await ctx.rawById(Widget, row.id)).toEqual(row);
      });

      it('raises NotFoundError for a missing row', async () => {
        await rejection(
          widgets().update('0192f6e4-7b3a-7c4d-8e5f-000000000000', { label: 'x' }),
          NotFoundError,
        );
      });

      it('twenty concurrent updates from the same expectedVersion: exactly one wins', async () => {
        const row = await inserted(db());
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            widgets().update(row.id, { count: 100 + i }, { expectedVersion: 1 }),
          ),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const r of lost) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(OptimisticLockError);
        const stored = await ctx.rawById(Widget, row.id);
        expect(stored?.version).toBe(2);
        expect(stored?.count).toBe((won[0] as PromiseFulfilledResult<RowOf<typeof Widget>>).value.count);
      });

      it('concurrent updates without expectedVersion all succeed, one version each', async () => {
        const row = await inserted(db());
        const updates = 10;
        const results = await Promise.all(
          Array.from({ length: updates }, (_, i) => widgets().update(row.id, { count: 1_000 + i })),
        );
        expect(new Set(results.map((r) => r.version)).size).toBe(updates);
        const stored = await ctx.rawById(Widget, row.id);
        expect(stored?.version).toBe(1 + updates);
      });
    });

    describe('delete', () => {
      it('deletes a row; a missing row raises NotFoundError', async () => {
        const row = await widgets().insert({ label: 'doomed', code: code() });
        await widgets().delete(row.id);
        expect(await ctx.rawById(Widget, row.id)).toBeUndefined();
        expect(await widgets().findById(row.id)).toBeNull();
        await rejection(widgets().delete(row.id), NotFoundError);
      });

      it('with a stale expectedVersion raises OptimisticLockError and the row stays', async () => {
        const row = await widgets().insert({ label: 'kept', code: code() });
        const v2 = await widgets().update(row.id, { label: 'kept 2' });
        const error = await rejection(widgets().delete(row.id, { expectedVersion: 1 }), OptimisticLockError);
        expect(error).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
        expect(await ctx.rawById(Widget, row.id)).toEqual(v2);
        await widgets().delete(row.id, { expectedVersion: 2 });
        expect(await ctx.raw(Widget)).toEqual([]);
      });
    });
  });
}
