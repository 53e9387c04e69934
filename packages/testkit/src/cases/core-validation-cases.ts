import { ConnectionReleasedTwiceError, FILTER_LIMITS, MAX_JSON_NESTING, ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Ledger, Widget } from '../conformance-entities.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

/** `levels` arrays and objects nested, alternating, around a number. */
function nested(levels: number): unknown {
  let value: unknown = levels;
  for (let i = 0; i < levels; i++) value = i % 2 ? { level: value } : [value];
  return value;
}

let codes = 0;
const code = () => `validation-${++codes}`;

/**
 * Core validation holds on every backend: sparse arrays and oversized filters are refused with a
 * `ValidationError` before anything reaches an adapter, JSON is stored exactly up to the nesting every
 * backend accepts, and a misused pool raises a typed error.
 */
export function coreValidationCases(ctx: SuiteContext): void {
  describe('core validation', () => {
    const db = ctx.shared();
    const ledger = () => db().repository(Ledger);
    beforeEach(() => ctx.clear(db(), Ledger, Widget));

    it('sparse arrays in insertMany, in/notIn and and/or are refused with ValidationError; nothing is written', async () => {
      // biome-ignore lint/suspicious/noSparseArray: the point of the test
      const rows = [{ label: 'a', amount: 1 }, , { label: 'c', amount: 3 }];
      await rejection(ledger().insertMany(rows as { label: string; amount: number }[]), ValidationError);
      expect(await ctx.raw(Ledger)).toEqual([]);
      await ledger().insert({ label: 'stored', amount: 1 });
      // biome-ignore lint/suspicious/noSparseArray: the point of the test
      const holes = [1, , 3] as number[];
      await rejection(ledger().find({ where: { amount: { in: holes } } }), ValidationError);
      await rejection(ledger().count({ amount: { notIn: new Array<number>(2) } }), ValidationError);
      await rejection(ledger().count({ or: new Array(2) }), ValidationError);
      expect((await ctx.raw(Ledger)).map((r) => r.label)).toEqual(['stored']);
    });

    it(`an or list of ${FILTER_LIMITS.maxListFilters} filters runs; one more, or 125,000, is refused with ValidationError`, async () => {
      await ledger().insertMany([
        { label: 'first', amount: 0 },
        { label: 'last', amount: FILTER_LIMITS.maxListFilters - 1 },
        { label: 'outside', amount: -1 },
      ]);
      const list = (length: number) => Array.from({ length }, (_, i) => ({ amount: i }));
      expect(await ledger().count({ or: list(FILTER_LIMITS.maxListFilters) })).toBe(2);
      await rejection(ledger().count({ or: list(FILTER_LIMITS.maxListFilters + 1) }), ValidationError);
      await rejection(ledger().find({ where: { or: list(125_000) } }), ValidationError);
      await rejection(ledger().count({ and: [{ not: { or: list(125_000) } }] }), ValidationError);
    });

    it(`a filter of ${FILTER_LIMITS.maxConditions} field conditions runs; one more is refused with ValidationError`, async () => {
      await ledger().insertMany([
        { label: 'one', amount: 1 },
        { label: 'two', amount: 2 },
      ]);
      const per = FILTER_LIMITS.maxListFilters;
      // Every block accepts amount 1 among values no row has, so the whole filter matches exactly "one".
      const filter = (total: number) => ({
        and: Array.from({ length: Math.ceil(total / per) }, (_, block) => ({
          or: Array.from({ length: Math.min(per, total - block * per) }, (_, i) => ({
            amount: i === 0 ? 1 : 1_000_000 + block * per + i,
          })),
        })),
      });
      expect(await ledger().count(filter(FILTER_LIMITS.maxConditions))).toBe(1);
      await rejection(ledger().count(filter(FILTER_LIMITS.maxConditions + 1)), ValidationError);
    });

    it(`JSON nested ${MAX_JSON_NESTING} levels is stored and read back whole; ${MAX_JSON_NESTING + 1} levels are refused with ValidationError`, async () => {
      const widgets = db().repository(Widget);
      const deepest = nested(MAX_JSON_NESTING);
      const stored = await widgets.insert({ label: 'deep', code: code(), payload: deepest });
      expect((await ctx.rawById(Widget, stored.id))!.payload).toEqual(deepest);
      expect((await widgets.findById(stored.id))!.payload).toEqual(deepest);
      const tooDeep = nested(MAX_JSON_NESTING + 1);
      const insertRefusal = await rejection(
        widgets.insert({ label: 'too deep', code: code(), payload: tooDeep }),
        ValidationError,
      );
      expect(insertRefusal.issues).toEqual([
        { field: 'payload', message: `payload is nested deeper than ${MAX_JSON_NESTING} levels` },
      ]);
      await rejection(widgets.update(stored.id, { payload: tooDeep }), ValidationError);
      const uow = db().unitOfWork();
      const mine = (await uow.findById(Widget, stored.id))!;
      mine.payload = tooDeep;
      await rejection(uow.flush(), ValidationError);
      mine.payload = { a: nested(MAX_JSON_NESTING - 1) };
      expect(await uow.flush()).toMatchObject({ updated: 1 });
      expect((await ctx.rawById(Widget, stored.id))!.payload).toEqual({ a: nested(MAX_JSON_NESTING - 1) });
    });

    it('releasing a connection twice raises ConnectionReleasedTwiceError and leaves the pool intact', async () => {
      const pool = db().pool;
      const lease = await pool.acquire();
      await pool.release(lease);
      const before = pool.stats();
      const error = await rejection(pool.release(lease), ConnectionReleasedTwiceError);
      expect(error.code).toBe('CONNECTION_RELEASED_TWICE');
      expect(pool.stats()).toEqual(before);
      const leases = await Promise.all(Array.from({ length: pool.stats().max }, () => pool.acquire()));
      expect(pool.stats()).toMatchObject({ inUse: pool.stats().max });
      await Promise.all(leases.map((l) => pool.release(l)));
      expect(pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    });
  });
}
