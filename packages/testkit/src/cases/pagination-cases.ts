import { type FindOptions, type OrderKey, type Page, type RowOf, ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Entry } from '../conformance-entities.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

type E = RowOf<typeof Entry>;
type Order = OrderKey<typeof Entry>;
const ROWS = 57;
const BASE = Date.UTC(2024, 0, 15);

/** 57 rows whose insertion (id) order differs from every sort key, with many duplicates per key. */
function seedRows() {
  return Array.from({ length: ROWS }, (_, n) => {
    const i = (n * 23) % ROWS;
    return {
      bucket: ['x', 'y', 'z'][i % 3]!,
      rank: i % 7,
      at: new Date(BASE + (i % 5) * 1_000 + (i % 2)),
      flag: i % 2 === 0,
      seq: i,
    };
  });
}

function compareValues(a: unknown, b: unknown): number {
  const x = a instanceof Date ? a.getTime() : typeof a === 'boolean' ? Number(a) : a;
  const y = b instanceof Date ? b.getTime() : typeof b === 'boolean' ? Number(b) : b;
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

/** The order berth promises: the keys in turn, then id ascending (unless id was itself a key). */
function sortLikeBerth(rows: readonly E[], orderBy: readonly Order[]): E[] {
  const keys = orderBy.map((k) =>
    k.startsWith('-') ? { field: k.slice(1), sign: -1 } : { field: k, sign: 1 },
  );
  if (!keys.some((k) => k.field === 'id')) keys.push({ field: 'id', sign: 1 });
  return [...rows].sort((a, b) => {
    for (const { field, sign } of keys) {
      const c = compareValues(a[field as keyof E], b[field as keyof E]);
      if (c !== 0) return c * sign;
    }
    return 0;
  });
}

const ORDERS: readonly (readonly Order[])[] = [
  [],
  ['id'],
  ['-id'],
  ['bucket'],
  ['-bucket'],
  ['rank'],
  ['-rank'],
  ['at'],
  ['-at'],
  ['flag'],
  ['-flag'],
  ['seq'],
  ['-seq'],
  ['bucket', '-rank'],
  ['flag', 'at', '-rank'],
  ['-at', 'bucket', 'flag'],
  ['rank', '-id'],
];

export function paginationCases(ctx: SuiteContext): void {
  describe('sorting and pagination', () => {
    const db = ctx.shared();
    const entries = () => db().repository(Entry);
    let stored: E[] = [];
    beforeEach(async () => {
      await ctx.clear(db(), Entry);
      stored = await entries().insertMany(seedRows());
    });

    /** Follows nextCursor from the first page to the last, checking each page's size. */
    async function paginate(
      options: FindOptions<typeof Entry>,
      limit: number,
      between?: (page: number) => Promise<void>,
    ) {
      const seen: E[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 1_000; page++) {
        // Annotated: the cursor fed back into the call makes its inferred type circular (TS7022).
        const result: Page<E> = await entries().find({ ...options, limit, cursor });
        expect(result.items.length).toBeLessThanOrEqual(limit);
        seen.push(...result.items);
        if (result.nextCursor === null) return seen;
        expect(result.items.length).toBe(limit);
        cursor = result.nextCursor;
        await between?.(page);
      }
      throw new Error('pagination did not end');
    }

    it.each(ORDERS.map((order) => [order.join(',') || '(default)', order] as const))(
      'orders by %s with ties broken by id; paging by 5 yields every row once, in the same order',
      async (_, orderBy) => {
        const full = (await entries().find({ orderBy: [...orderBy] })).items;
        expect(full.map((r) => r.id)).toEqual(sortLikeBerth(stored, orderBy).map((r) => r.id));
        const paged = await paginate({ orderBy: [...orderBy] }, 5);
        expect(paged.map((r) => r.id)).toEqual(full.map((r) => r.id));
        expect(new Set(paged.map((r) => r.id)).size).toBe(ROWS);
      },
    );

    it('paginates a filtered query exactly like the unpaginated one', async () => {
      const options: FindOptions<typeof Entry> = {
        where: { bucket: { ne: 'y' }, rank: { lte: 4 } },
        orderBy: ['-at', 'rank'],
      };
      const full = (await entries().find(options)).items;
      expect(full.length).toBeGreaterThan(10);
      expect((await paginate(options, 5)).map((r) => r.id)).toEqual(full.map((r) => r.id));
      expect((await paginate(options, 1)).map((r) => r.id)).toEqual(full.map((r) => r.id));
    });

    it('rows inserted behind the cursor mid-way cause no duplicates; rows ahead of it are reached', async () => {
      const full = (await entries().find({ orderBy: ['rank'] })).items;
      const added: E[] = [];
      const paged = await paginate({ orderBy: ['rank'] }, 5, async (page) => {
        if (page !== 1) return;
        added.push(
          ...(await entries().insertMany([
            { bucket: 'x', rank: -1, at: new Date(BASE), flag: true, seq: 1_000 },
            { bucket: 'y', rank: 0, at: new Date(BASE), flag: true, seq: 1_001 },
            { bucket: 'z', rank: 100, at: new Date(BASE), flag: false, seq: 1_002 },
          ])),
        );
      });
      const ids = paged.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      // rank 0 sorts before the cursor (rows of rank 0 were all on the first two pages), rank 100 after it.
      expect(ids).toEqual([...full.map((r) => r.id), added[2]!.id]);
    });

    it('nextCursor is null on the last page, also when the last page is exactly full', async () => {
      const all = await entries().find({ limit: ROWS });
      expect(all.items).toHaveLength(ROWS);
      expect(all.nextCursor).toBeNull();
      const pages = [];
      let cursor: string | null = null;
      do {
        const page: Page<E> = await entries().find({ orderBy: '-rank', limit: 19, cursor });
        pages.push(page.items.length);
        cursor = page.nextCursor;
      } while (cursor !== null && pages.length < 10);
      expect(pages).toEqual([19, 19, 19]);
      const beyond = await entries().find({ limit: ROWS + 1 });
      expect(beyond.items).toHaveLength(ROWS);
      expect(beyond.nextCursor).toBeNull();
      expect((await entries().find({ where: { rank: 99 }, limit: 5 })).nextCursor).toBeNull();
      expect((await entries().find({})).nextCursor).toBeNull();
    });

    it('refuses a cursor made for another sort, and tampered or garbage cursors, with ValidationError', async () => {
      const first = await entries().find({ orderBy: 'rank', limit: 5 });
      const cursor = first.nextCursor!;
      expect(typeof cursor).toBe('string');
      for (const orderBy of [['-rank'], ['bucket'], ['rank', 'bucket'], []] as Order[][]) {
        await rejection(entries().find({ orderBy, limit: 5, cursor }), ValidationError);
      }
      const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
        s: unknown;
        v: unknown[];
      };
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
      const garbage = [
        '',
        'not a cursor!',
        `${cursor}%`,
        cursor.slice(0, -4),
        encode({}),
        encode(null),
        encode([1, 2]),
        encode('rank'),
        encode({ ...payload, s: '-rank,id' }),
        encode({ ...payload, v: ['3', payload.v[1]] }),
        encode({ ...payload, v: [1.5, payload.v[1]] }),
        encode({ ...payload, v: [null, payload.v[1]] }),
        encode({ ...payload, v: [payload.v[0], 42] }),
        encode({ ...payload, v: [payload.v[0]] }),
        encode({ ...payload, v: [payload.v[0], payload.v[1], 'extra'] }),
        encode({ ...payload, v: [{ $gt: 0 }, payload.v[1]] }),
        encode({ ...payload, v: [payload.v[0], 'nul\u0000'] }),
        'A'.repeat(5_000),
      ];
      for (const bad of garbage) {
        await rejection(entries().find({ orderBy: 'rank', limit: 5, cursor: bad }), ValidationError);
      }
      await rejection(entries().find({ orderBy: 'rank', limit: 5, cursor: 42 as never }), ValidationError);
      const datetimeCursor = (await entries().find({ orderBy: 'at', limit: 5 })).nextCursor!;
      const atPayload = JSON.parse(Buffer.from(datetimeCursor, 'base64url').toString('utf8')) as {
        v: unknown[];
      };
      const badDate = encode({ s: 'at,id', v: ['2024-01-15T00:00:00.000Z', atPayload.v[1]] });
      await rejection(entries().find({ orderBy: 'at', limit: 5, cursor: badDate }), ValidationError);
    });

    it('refuses limits outside 1..10000 and non-integers with ValidationError', async () => {
      for (const limit of [0, -1, 10_001, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5']) {
        await rejection(entries().find({ limit: limit as number }), ValidationError);
      }
      expect((await entries().find({ limit: 10_000 })).items).toHaveLength(ROWS);
      expect((await entries().find({ limit: 1 })).items).toHaveLength(1);
    });

    it('refuses unknown, malformed and repeated sort keys with ValidationError', async () => {
      for (const orderBy of ['nope', '-nope', '', '--rank', ['rank', 'rank'], ['rank', '-rank'], 5]) {
        await rejection(entries().find({ orderBy: orderBy as Order }), ValidationError);
      }
    });
  });
}
