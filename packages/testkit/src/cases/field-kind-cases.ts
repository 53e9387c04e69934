import { ValidationError } from '@berth/core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';
import { Asset } from '../write-entities.js';

const MAX_I64 = 2n ** 63n - 1n;
const MIN_I64 = -(2n ** 63n);

const base = {
  status: 'draft' as const,
  price: '0',
  serial: 0n,
  since: '2024-02-29',
  blob: new Uint8Array([0, 1, 2, 255]),
};

export function fieldKindCases(ctx: SuiteContext): void {
  describe('field kinds: enum, decimal, bigint, date-only, bytes', () => {
    const db = ctx.shared();
    const assets = () => db().repository(Asset);
    // Created here rather than with the suite's entities: the concurrent-ensureSchema case stays as it was.
    beforeAll(() => db().ensureSchema([Asset]));
    beforeEach(() => ctx.clear(db(), Asset));

    it('round-trips each kind exactly, as berth returns it and as the database holds it', async () => {
      const large = new Uint8Array(20_000).map((_, i) => (i * 7) % 256);
      const cases = [
        { ...base },
        {
          status: "it's live" as const,
          price: '-123456789012345678901234567890.1234',
          serial: MAX_I64,
          since: '9999-12-31',
          blob: large,
          small: Buffer.from('hello'),
          amount: '9999999999',
          big: MIN_I64,
          until: '1000-01-01',
          tier: 'gold' as const,
        },
        {
          status: 'back\\slash' as const,
          price: '0.0001',
          serial: -1n,
          since: '1970-01-01',
          blob: new Uint8Array(),
        },
        {
          status: 'ключ' as const,
          price: '12.5',
          serial: 9_007_199_254_740_993n,
          since: '2000-02-29',
          blob: base.blob,
        },
      ];
      for (const values of cases) {
        const row = await assets().insert(values);
        const read = await assets().getById(row.id);
        expect(read).toEqual(row);
        expect(await ctx.rawById(Asset, row.id)).toEqual(row);
        expect(typeof read.serial).toBe('bigint');
        expect(read.blob).toBeInstanceOf(Uint8Array);
        expect(Buffer.isBuffer(read.blob)).toBe(false);
      }
      const [fourth] = await assets()
        .find({ where: { serial: 9_007_199_254_740_993n } })
        .then((p) => p.items);
      // Decimals come back with exactly their scale's places; bigints beyond 2^53 exactly.
      expect(fourth).toMatchObject({ price: '12.5000', serial: 9_007_199_254_740_993n });
      const first = (await assets().find({ where: { serial: 0n } })).items[0]!;
      expect(first).toMatchObject({
        price: '0.0000',
        small: null,
        amount: null,
        big: null,
        until: null,
        tier: null,
      });
    });

    it('filters and sorts on enum, bigint and date-only fields; pages through them by cursor', async () => {
      // Ranges and order within ±2^53: berth's MongoDB test server (mingo) cannot order BSON longs beyond
      // it (mongod can); equality beyond it is checked in the round trip above.
      const L = 2n ** 52n;
      const serials = [5n, -L, L + 1n, L, 0n];
      const days = ['2024-03-01', '1999-12-31', '2024-02-29', '2100-01-01', '1000-01-01'];
      for (const [i, serial] of serials.entries())
        await assets().insert({
          ...base,
          serial,
          since: days[i]!,
          status: i % 2 === 0 ? 'draft' : "it's live",
        });
      const bySerial = await assets().find({ where: { serial: { gt: L } }, orderBy: ['serial'] });
      expect(bySerial.items.map((a) => a.serial)).toEqual([L + 1n]);
      const inRange = await assets().find({
        where: { serial: { gte: -1n, lte: L } },
        orderBy: ['-serial'],
      });
      expect(inRange.items.map((a) => a.serial)).toEqual([L, 5n, 0n]);
      const byDay = await assets().find({
        where: { since: { between: ['1999-12-31', '2024-02-29'] } },
        orderBy: ['since'],
      });
      expect(byDay.items.map((a) => a.since)).toEqual(['1999-12-31', '2024-02-29']);
      const live = await assets().find({ where: { status: "it's live" }, orderBy: ['serial'] });
      expect(live.items.map((a) => a.serial)).toEqual([-L, L]);
      expect(await assets().count({ status: { in: ['draft', 'ключ'] } })).toBe(3);
      // Keyset pages over a bigint and a date sort: every row once, in order.
      for (const orderBy of [['serial'], ['-since'], ['status', 'serial']] as const) {
        const seen: bigint[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: { serial: bigint }[]; nextCursor: string | null } = await assets().find({
            orderBy: [...orderBy],
            limit: 2,
            cursor,
          });
          seen.push(...page.items.map((a) => a.serial));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seen).toHaveLength(serials.length);
        expect(new Set(seen).size).toBe(serials.length);
      }
      const sorted = (await assets().find({ orderBy: ['serial'] })).items.map((a) => a.serial);
      expect(sorted).toEqual([...serials].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('updates each kind, and a no-op patch of equal bytes or decimals writes nothing', async () => {
      const row = await assets().insert({ ...base });
      const next = await assets().update(row.id, {
        status: 'ключ',
        price: '-0.5',
        serial: MIN_I64,
        since: '2024-12-31',
        blob: new Uint8Array([9]),
        tier: 'silver',
      });
      expect(next).toMatchObject({ price: '-0.5000', serial: MIN_I64, since: '2024-12-31', tier: 'silver' });
      expect(await ctx.rawById(Asset, row.id)).toEqual(next);
      expect(await assets().update(row.id, { blob: new Uint8Array([9]), price: '-0.50' })).toEqual(next);
      expect(await assets().updateMany({ status: 'ключ' }, { serial: 7n, until: '2025-01-01' })).toBe(1);
      expect(await ctx.rawById(Asset, row.id)).toMatchObject({ serial: 7n, until: '2025-01-01' });
    });

    it('refuses values of the wrong shape, and filters or sorts on decimal and bytes fields', async () => {
      const bad: object[] = [
        { status: 'Draft' },
        { status: 1 },
        { price: 12.5 },
        { price: '1e3' },
        { price: '12.34567' },
        { price: '1'.repeat(31) },
        { amount: '1.5' },
        { serial: 1 },
        { serial: 2n ** 63n },
        { serial: MIN_I64 - 1n },
        { since: '2023-02-29' },
        { since: '0999-12-31' },
        { since: new Date() },
        { since: '2024-1-01' },
        { blob: [1, 2] },
        { blob: 'AAEC' },
        { small: new Uint8Array(17) },
      ];
      for (const patch of bad)
        await rejection(() => assets().insert({ ...base, ...patch } as never), ValidationError);
      expect(await ctx.raw(Asset)).toEqual([]);
      await rejection(() => assets().find({ where: { price: '1' } as never }), ValidationError);
      await rejection(() => assets().find({ where: { blob: base.blob } as never }), ValidationError);
      await rejection(() => assets().find({ orderBy: ['price'] as never }), ValidationError);
      await rejection(() => assets().find({ where: { serial: 1 } as never }), ValidationError);
      await rejection(
        () => assets().find({ where: { since: { contains: '2024' } } as never }),
        ValidationError,
      );
    });
  });
}
