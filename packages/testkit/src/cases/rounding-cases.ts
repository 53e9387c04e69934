import { OutOfBoundsError, ValidationError } from '@berth/core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';
import { Tally } from '../write-entities.js';

/**
 * `[stored, operand, expected]`: the exact decimal product rounded half away from zero. Several differ
 * from `Math.round(stored * operand)` in doubles (100 * 1.005 is 100.49999999999999 there; the product
 * of 4503599627370495 and 1.5 is not representable), which is the point: every backend computes exactly.
 */
const CASES: readonly (readonly [number, number, number])[] = [
  [5, 1.5, 8],
  [-5, 1.5, -8],
  [5, -1.5, -8],
  [3, 0.5, 2],
  [1, 0.5, 1],
  [-1, 0.5, -1],
  [1, 0.4999999, 0],
  [7, 1.05, 7],
  [10, 1.05, 11],
  [100, 1.005, 101],
  [-100, 1.005, -101],
  [123_456_789_012, 1.2345678, 152_415_776_406],
  [9_007_199_254_740, 1.0000001, 9_007_200_155_460],
  [4_503_599_627_370_495, 1.5, 6_755_399_441_055_743],
  [999_999, 0.0000005, 0],
  [2, 1e-7, 0],
  [6_000_000, 2.0000001, 12_000_001],
  [-3, 0, 0],
];

export function roundingCases(ctx: SuiteContext): void {
  describe("multiply with round: 'half-away-from-zero'", () => {
    const db = ctx.shared();
    const tallies = () => db().repository(Tally);
    // Created here rather than with the suite's entities: the concurrent-ensureSchema case stays as it was.
    beforeAll(() => db().ensureSchema([Tally]));
    beforeEach(() => ctx.clear(db(), Tally));

    it('update computes round(stored * operand) exactly, halves away from zero, negatives included', async () => {
      for (const [stored, by, expected] of CASES) {
        const row = await tallies().insert({ name: `${stored}*${by}`, amount: stored, capped: 0, ratio: 1 });
        const updated = await tallies().update(row.id, {
          amount: { multiply: by, round: 'half-away-from-zero' },
        });
        expect([stored, by, updated.amount]).toEqual([stored, by, expected]);
        expect(updated.version).toBe(expected === stored ? 1 : 2);
        const raw = await ctx.rawById(Tally, row.id);
        expect([stored, by, raw?.amount, Object.is(raw?.amount, -0)]).toEqual([stored, by, expected, false]);
      }
    });

    it('with expectedVersion, the rounded result is written once and the version checked', async () => {
      const row = await tallies().insert({ name: 'v', amount: 15, capped: 3, ratio: 1 });
      const next = await tallies().update(
        row.id,
        {
          amount: { multiply: 1.1, round: 'half-away-from-zero' },
          capped: { multiply: 2.5, round: 'half-away-from-zero' },
        },
        { expectedVersion: 1 },
      );
      // 15 * 1.1 = 16.5 -> 17; 3 * 2.5 = 7.5 -> 8.
      expect(next).toMatchObject({ amount: 17, capped: 8, version: 2 });
      expect(await ctx.rawById(Tally, row.id)).toEqual(next);
    });

    it('a rounded result out of bounds is OutOfBoundsError and changes nothing', async () => {
      const row = await tallies().insert({ name: 'b', amount: 1, capped: 67, ratio: 1 });
      // 67 * 1.5 = 100.5 -> 101 > 100, although the bound is met by the unrounded 100.5's floor.
      const error = await rejection(
        tallies().update(row.id, { capped: { multiply: 1.5, round: 'half-away-from-zero' } }),
        OutOfBoundsError,
      );
      expect(error.fields).toEqual(['capped']);
      expect(await ctx.rawById(Tally, row.id)).toEqual(row);
      // 66 * 1.5 = 99 stays inside.
      await tallies().update(row.id, { capped: { set: 66 } });
      expect(
        (await tallies().update(row.id, { capped: { multiply: 1.5, round: 'half-away-from-zero' } })).capped,
      ).toBe(99);
    });

    it('updateMany rounds every matching row in one call, bumps each version, and leaves others alone', async () => {
      const rows = [];
      for (const amount of [0, 1, 5, 15, 99_999, 123_457, -7])
        rows.push(await tallies().insert({ name: 'team', amount, capped: 0, ratio: 1 }));
      const other = await tallies().insert({ name: 'other', amount: 10, capped: 0, ratio: 1 });
      const changed = await tallies().updateMany(
        { name: 'team' },
        { amount: { multiply: 1.125, round: 'half-away-from-zero' } },
      );
      expect(changed).toBe(rows.length);
      for (const row of rows) {
        const now = await ctx.rawById(Tally, row.id);
        const exact = row.amount * 1.125; // exact in binary: 1.125 = 9/8
        const expected = Math.sign(exact) * Math.floor(Math.abs(exact) + 0.5);
        expect([row.amount, now?.amount, now?.version]).toEqual([row.amount, expected + 0, 2]);
        expect(now!.updatedAt.getTime()).toBeGreaterThanOrEqual(row.updatedAt.getTime());
      }
      expect(await ctx.rawById(Tally, other.id)).toEqual(other);
    });

    it('updateMany is all or nothing when a rounded result would leave the bounds of any row', async () => {
      await tallies().insert({ name: 'm', amount: 1, capped: 10, ratio: 1 });
      await tallies().insert({ name: 'm', amount: 2, capped: -67, ratio: 1 });
      await tallies().insert({ name: 'm', amount: 3, capped: 66, ratio: 1 });
      const before = await ctx.raw(Tally);
      const error = await rejection(
        tallies().updateMany({ name: 'm' }, { capped: { multiply: 1.5, round: 'half-away-from-zero' } }),
        OutOfBoundsError,
      );
      // -67 * 1.5 = -100.5 -> -101: below -100. 66 -> 99 and 10 -> 15 would fit, but nothing is written.
      expect(error).toMatchObject({ fields: ['capped'], rows: 1 });
      expect(await ctx.raw(Tally)).toEqual(before);
    });

    it('refuses a malformed rounding operator, before anything is written', async () => {
      const row = await tallies().insert({ name: 'r', amount: 10, capped: 1, ratio: 1 });
      const patches: object[] = [
        { amount: { multiply: 1.5 } },
        { amount: { multiply: 1.5, round: 'half-even' } },
        { amount: { multiply: 1.5, round: true } },
        { amount: { increment: 1, round: 'half-away-from-zero' } },
        { amount: { round: 'half-away-from-zero' } },
        { amount: { multiply: 1.5, round: 'half-away-from-zero', set: 1 } },
        { amount: { multiply: 1.00000001, round: 'half-away-from-zero' } },
        { amount: { multiply: Number.NaN, round: 'half-away-from-zero' } },
        { amount: { multiply: '1.5', round: 'half-away-from-zero' } },
        { amount: { multiply: 2 ** 60, round: 'half-away-from-zero' } },
        { ratio: { multiply: 1.5, round: 'half-away-from-zero' } },
      ];
      for (const patch of patches) {
        await rejection(() => tallies().update(row.id, patch as never), ValidationError);
        await rejection(() => tallies().updateMany({}, patch as never), ValidationError);
      }
      expect(await ctx.rawById(Tally, row.id)).toEqual(row);
    });
  });
}
