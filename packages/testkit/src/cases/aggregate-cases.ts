import { DatabaseError, type InsertOf, ValidationError } from '@berth/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Gadget } from '../conformance-entities.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

const at = (day: number) => new Date(Date.UTC(2024, 0, day, 12, 30, 0, 250));

/** name = department, rank = salary, weight = a double, level = a nullable integer. */
const ROWS: InsertOf<typeof Gadget>[] = [
  { name: 'eng', rank: 100, weight: 1.5, flag: true, seenAt: at(3), nickname: 'x', level: 1 },
  { name: 'eng', rank: 200, weight: 2.25, flag: false, seenAt: at(1), nickname: null, level: null },
  { name: 'eng', rank: 301, weight: -0.75, flag: true, seenAt: at(9), nickname: 'y', level: 2 },
  { name: 'ops', rank: 50, weight: 10, flag: true, seenAt: at(5), nickname: null, level: null },
  { name: 'ops', rank: 70, weight: 0.1, flag: true, seenAt: at(2), nickname: 'x', level: null },
  { name: 'sales', rank: 1, weight: 0.2, flag: false, seenAt: at(7), nickname: 'z', level: 4 },
];

/** Grouping and aggregates in one statement; the numeric rules are the same on every backend. */
export function aggregateCases(ctx: SuiteContext): void {
  describe('aggregates', () => {
    const db = ctx.shared();
    const repo = () => db().repository(Gadget);
    beforeAll(async () => {
      await ctx.clear(db(), Gadget);
      await repo().insertMany(ROWS);
    });

    it('groups by a field with count, sum, avg (a double), min and max (datetimes as Dates)', async () => {
      const rows = await repo().aggregate({
        groupBy: ['name'],
        count: true,
        sum: ['rank', 'level'],
        avg: ['rank', 'level'],
        min: ['seenAt', 'rank'],
        max: ['seenAt', 'nickname'],
      });
      expect(rows).toEqual([
        {
          name: 'eng',
          count: 3,
          sum: { rank: 601, level: 3 },
          avg: { rank: 601 / 3, level: 1.5 },
          min: { seenAt: at(1), rank: 100 },
          max: { seenAt: at(9), nickname: 'y' },
        },
        {
          name: 'ops',
          count: 2,
          sum: { rank: 120, level: 0 },
          avg: { rank: 60, level: null },
          min: { seenAt: at(2), rank: 50 },
          max: { seenAt: at(5), nickname: 'x' },
        },
        {
          name: 'sales',
          count: 1,
          sum: { rank: 1, level: 4 },
          avg: { rank: 1, level: 4 },
          min: { seenAt: at(7), rank: 1 },
          max: { seenAt: at(7), nickname: 'z' },
        },
      ]);
      expect(rows[0]!.min.seenAt).toBeInstanceOf(Date);
    });

    it('without groupBy there is exactly one group, also over no rows (count 0, sum 0, the others null)', async () => {
      expect(await repo().aggregate({ count: true, sum: ['weight'], max: ['rank'] })).toEqual([
        { count: 6, sum: { weight: expect.closeTo(13.3, 9) }, max: { rank: 301 } },
      ]);
      expect(
        await repo().aggregate({
          where: { name: 'none' },
          count: true,
          sum: ['rank'],
          avg: ['rank'],
          min: ['seenAt'],
        }),
      ).toEqual([{ count: 0, sum: { rank: 0 }, avg: { rank: null }, min: { seenAt: null } }]);
      expect(
        await repo().aggregate({ where: { name: 'none' }, count: true, having: { count: { gt: 0 } } }),
      ).toEqual([]);
    });

    it('where filters rows before grouping; groups by two fields, booleans and nullable fields (a null group)', async () => {
      expect(
        await repo().aggregate({ where: { rank: { gte: 70 } }, groupBy: ['name', 'flag'], count: true }),
      ).toEqual([
        { name: 'eng', flag: false, count: 1 },
        { name: 'eng', flag: true, count: 2 },
        { name: 'ops', flag: true, count: 1 },
      ]);
      const byNick = await repo().aggregate({ groupBy: ['nickname'], count: true });
      expect(byNick).toHaveLength(4);
      expect(byNick).toEqual(
        expect.arrayContaining([
          { nickname: null, count: 2 },
          { nickname: 'x', count: 2 },
          { nickname: 'y', count: 1 },
          { nickname: 'z', count: 1 },
        ]),
      );
    });

    it('having keeps groups by their aggregates; orderBy sorts on aggregates or group keys; limit bounds the groups', async () => {
      expect(
        await repo().aggregate({
          groupBy: ['name'],
          count: true,
          sum: ['rank'],
          having: { count: { gte: 2 } },
        }),
      ).toEqual([
        { name: 'eng', count: 3, sum: { rank: 601 } },
        { name: 'ops', count: 2, sum: { rank: 120 } },
      ]);
      expect(
        await repo().aggregate({
          groupBy: ['name'],
          sum: ['rank'],
          max: ['seenAt'],
          having: { sum: { rank: { lt: 600 } }, max: { seenAt: { gte: at(5) } } },
        }),
      ).toEqual([
        { name: 'ops', sum: { rank: 120 }, max: { seenAt: at(5) } },
        { name: 'sales', sum: { rank: 1 }, max: { seenAt: at(7) } },
      ]);
      const bySum = await repo().aggregate({
        groupBy: ['name'],
        sum: ['rank'],
        orderBy: '-sum.rank',
        limit: 2,
      });
      expect(bySum.map((r) => r.name)).toEqual(['eng', 'ops']);
      const byName = await repo().aggregate({ groupBy: ['name'], count: true, orderBy: ['-name'] });
      expect(byName.map((r) => r.name)).toEqual(['sales', 'ops', 'eng']);
      const ties = await repo().aggregate({
        groupBy: ['name', 'flag'],
        count: true,
        orderBy: ['count', '-flag'],
      });
      expect(ties.map((r) => `${r.name}:${r.flag}:${r.count}`)).toEqual([
        'eng:false:1',
        'sales:false:1',
        'eng:true:2',
        'ops:true:2',
      ]);
    });

    it('the average of integers is the double nearest the exact mean, the same on every backend', async () => {
      // 8 / 7 has no finite binary expansion: PostgreSQL's exact average rounded once, MariaDB's per-value
      // doubles and MongoDB's $avg must all give the nearest double, 1.1428571428571428.
      const row = { name: 'mean', weight: 0, flag: true, seenAt: at(1), nickname: null, level: null };
      await repo().insertMany([
        ...Array.from({ length: 6 }, () => ({ ...row, rank: 1 })),
        { ...row, rank: 2 },
      ]);
      try {
        expect(await repo().aggregate({ where: { name: 'mean' }, avg: ['rank'], sum: ['rank'] })).toEqual([
          { avg: { rank: 8 / 7 }, sum: { rank: 8 } },
        ]);
      } finally {
        for (const r of (await repo().find({ where: { name: 'mean' } })).items) await repo().delete(r.id);
      }
    });

    it('an integer sum beyond 2^53-1 raises DatabaseError instead of a rounded number', async () => {
      const big = { name: 'big', weight: 0, flag: true, seenAt: at(1), nickname: null, level: null };
      await repo().insertMany([
        { ...big, rank: Number.MAX_SAFE_INTEGER },
        { ...big, rank: 2 },
      ]);
      try {
        await rejection(repo().aggregate({ where: { name: 'big' }, sum: ['rank'] }), DatabaseError);
        expect(await repo().aggregate({ where: { name: 'big' }, max: ['rank'], count: true })).toEqual([
          { count: 2, max: { rank: Number.MAX_SAFE_INTEGER } },
        ]);
      } finally {
        for (const row of (await repo().find({ where: { name: 'big' } })).items) await repo().delete(row.id);
      }
    });

    it('refuses unknown fields, functions on fields of the wrong kind, and values not computed, with ValidationError', async () => {
      const bad: unknown[] = [
        { groupBy: ['nope'], count: true },
        { sum: ['name'] },
        { avg: ['seenAt'] },
        { sum: ['flag'] },
        { min: ['extra'] },
        { groupBy: ['extra'], count: true },
        { count: true, having: { sum: { rank: { gt: 1 } } } },
        { count: true, having: { count: { like: 1 } } },
        { count: true, having: { count: { gt: '1' } } },
        { groupBy: ['name'], count: true, orderBy: 'sum.rank' },
        { groupBy: ['nickname'], count: true, orderBy: 'nickname' },
        { count: true, limit: 0 },
        { count: true, select: { name: true } },
        {},
      ];
      for (const options of bad) {
        await rejection(repo().aggregate(options as never), ValidationError);
      }
    });
  });
}
