import { type InsertOf, type RowOf, ValidationError, type Where } from '@berth/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Gadget } from '../conformance-entities.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

type G = RowOf<typeof Gadget>;
const at = (ms: number) => new Date(Date.UTC(2024, 5, 1) + ms);

/** Names chosen for case folding: ASCII in several cases, accented letters, ß, regex and LIKE syntax. */
const NAMES: Array<[string, string | null, number | null]> = [
  ['Ada Lovelace', 'ada', 1],
  ['ADA', 'Ada', null],
  ['lady ada', null, 3],
  ['Émile', 'émile', 4],
  ['émile', 'ÉMILE', null],
  ['Straße', 'STRASSE', 6],
  ['STRASSE', 'straße', 7],
  ['line\nend', null, null],
  ['a.c', 'A.C', 9],
  ['abc', 'ABC', 10],
  ['50% off', '50%', 11],
  ['[x]', '(x)', 12],
];

const ROWS: InsertOf<typeof Gadget>[] = NAMES.map(([name, nickname, level], i) => ({
  name,
  nickname,
  level,
  rank: i,
  weight: i / 2,
  flag: i % 2 === 0,
  seenAt: at(i * 1000),
}));

const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The filters services ask for beyond the basics: endsWith, case-insensitive matching (ASCII letters fold,
 * every other character matches only itself, identically on every backend), between, and not on a field.
 */
export function readFilterCases(ctx: SuiteContext): void {
  describe('filters: endsWith, case-insensitive, between, not', () => {
    const db = ctx.shared();
    let stored: G[] = [];
    beforeAll(async () => {
      await ctx.clear(db(), Gadget);
      stored = await db().repository(Gadget).insertMany(ROWS);
    });

    async function expectMatches(where: Where<typeof Gadget> | object, predicate: (row: G) => boolean) {
      const repo = db().repository(Gadget);
      const expected = stored
        .filter(predicate)
        .map((r) => r.name)
        .sort();
      const found = (await repo.find({ where: where as Where<typeof Gadget> })).items
        .map((r) => r.name)
        .sort();
      expect(found, JSON.stringify(where)).toEqual(expected);
      expect(await repo.count(where as Where<typeof Gadget>), `count ${JSON.stringify(where)}`).toBe(
        expected.length,
      );
    }

    it('endsWith is a case-sensitive suffix match; LIKE and regex syntax are literal; a trailing newline is data', async () => {
      await expectMatches({ name: { endsWith: 'ada' } }, (r) => r.name.endsWith('ada'));
      await expectMatches({ name: { endsWith: 'ADA' } }, (r) => r.name.endsWith('ADA'));
      await expectMatches({ name: { endsWith: '% off' } }, (r) => r.name.endsWith('% off'));
      await expectMatches({ name: { endsWith: '.c' } }, (r) => r.name.endsWith('.c'));
      await expectMatches({ name: { endsWith: 'line' } }, (r) => r.name.endsWith('line'));
      await expectMatches({ nickname: { endsWith: 'E' } }, (r) => r.nickname?.endsWith('E') === true);
    });

    it('mode insensitive folds ASCII letters in contains, startsWith and endsWith', async () => {
      const i = 'insensitive' as const;
      await expectMatches({ name: { contains: 'ada', mode: i } }, (r) => lower(r.name).includes('ada'));
      await expectMatches({ name: { contains: 'ADA', mode: i } }, (r) => lower(r.name).includes('ada'));
      await expectMatches({ name: { startsWith: 'aDa', mode: i } }, (r) => lower(r.name).startsWith('ada'));
      await expectMatches({ name: { endsWith: 'AdA', mode: i } }, (r) => lower(r.name).endsWith('ada'));
      await expectMatches({ name: { endsWith: 'LINE', mode: i } }, (r) => lower(r.name).endsWith('line'));
      await expectMatches({ name: { contains: 'A.C', mode: i } }, (r) => lower(r.name).includes('a.c'));
      await expectMatches({ name: { contains: '0% OFF', mode: i } }, (r) => lower(r.name).includes('0% off'));
      await expectMatches({ name: { contains: '[X]', mode: i } }, (r) => lower(r.name).includes('[x]'));
      await expectMatches({ nickname: { contains: 'a', mode: i } }, (r) =>
        r.nickname === null ? false : lower(r.nickname).includes('a'),
      );
      await expectMatches({ name: { contains: 'ada', mode: 'sensitive' } }, (r) => r.name.includes('ada'));
    });

    it('non-ASCII letters match only themselves, case-insensitive or not: É is not é, ß is not SS', async () => {
      const i = 'insensitive' as const;
      await expectMatches({ name: { startsWith: 'é', mode: i } }, (r) => r.name.startsWith('é'));
      await expectMatches({ name: { startsWith: 'É', mode: i } }, (r) => r.name.startsWith('É'));
      await expectMatches({ name: { contains: 'ÉMILE', mode: i } }, (r) => r.name === 'Émile');
      await expectMatches({ name: { contains: 'émile', mode: i } }, (r) => r.name === 'émile');
      await expectMatches({ name: { contains: 'ß', mode: i } }, (r) => r.name.includes('ß'));
      await expectMatches({ name: { contains: 'strasse', mode: i } }, (r) => r.name === 'STRASSE');
      await expectMatches({ nickname: { contains: 'MILE', mode: i } }, (r) =>
        ['émile', 'ÉMILE'].includes(r.nickname ?? ''),
      );
    });

    it('between includes both ends, on integers, numbers, strings and datetimes; nulls never match', async () => {
      await expectMatches({ rank: { between: [2, 5] } }, (r) => r.rank >= 2 && r.rank <= 5);
      await expectMatches({ weight: { between: [0.5, 1.5] } }, (r) => r.weight >= 0.5 && r.weight <= 1.5);
      await expectMatches({ name: { between: ['a', 'b'] } }, (r) => r.name >= 'a' && r.name <= 'b');
      await expectMatches({ seenAt: { between: [at(1000), at(3000)] } }, (r) => {
        const t = r.seenAt.getTime();
        return t >= at(1000).getTime() && t <= at(3000).getTime();
      });
      await expectMatches(
        { level: { between: [3, 9] } },
        (r) => r.level !== null && r.level >= 3 && r.level <= 9,
      );
      await expectMatches({ rank: { between: [5, 2] } }, () => false);
    });

    it('not on a field negates its filter exactly, rows holding null included', async () => {
      await expectMatches(
        { level: { not: { between: [3, 9] } } },
        (r) => !(r.level !== null && r.level >= 3 && r.level <= 9),
      );
      await expectMatches({ nickname: { not: { contains: 'a', mode: 'insensitive' } } }, (r) =>
        r.nickname === null ? true : !lower(r.nickname).includes('a'),
      );
      await expectMatches({ name: { not: 'ADA' } }, (r) => r.name !== 'ADA');
      await expectMatches({ level: { not: null } }, (r) => r.level !== null);
      await expectMatches(
        { rank: { gte: 2, not: { in: [3, 4] } } },
        (r) => r.rank >= 2 && r.rank !== 3 && r.rank !== 4,
      );
    });

    it('refuses a mode without a text operator, and a malformed between, with ValidationError', async () => {
      const repo = db().repository(Gadget);
      await rejection(
        repo.find({ where: { name: { mode: 'insensitive' } } as Where<typeof Gadget> }),
        ValidationError,
      );
      await rejection(
        repo.find({ where: { rank: { between: [1] } } as unknown as Where<typeof Gadget> }),
        ValidationError,
      );
      await rejection(
        repo.count({ rank: { endsWith: '1' } } as unknown as Where<typeof Gadget>),
        ValidationError,
      );
    });
  });
}
