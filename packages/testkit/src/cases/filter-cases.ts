import { type InsertOf, type RowOf, ValidationError, type Where } from '@berth/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Gadget } from '../conformance-entities.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

type G = RowOf<typeof Gadget>;
const BASE = Date.UTC(2024, 5, 1, 12, 0, 0, 0);
const at = (ms: number) => new Date(BASE + ms);

const GADGETS: InsertOf<typeof Gadget>[] = [
  {
    name: 'alpha',
    rank: 1,
    weight: 1.5,
    flag: true,
    seenAt: at(0),
    nickname: 'al',
    level: 1,
    extra: { a: 1 },
  },
  { name: 'bravo', rank: 2, weight: -2.25, flag: false, seenAt: at(1), nickname: null, level: null },
  { name: 'charlie', rank: 3, weight: 0, flag: true, seenAt: at(1_000), nickname: 'Charlie', level: 3 },
  {
    name: 'delta',
    rank: 3,
    weight: 3.75,
    flag: false,
    seenAt: at(-86_400_000),
    nickname: 'charlie',
    level: null,
  },
  { name: 'ABC', rank: -5, weight: 1e10, flag: true, seenAt: at(2), nickname: 'ABC', level: -1 },
  {
    name: 'abc',
    rank: Number.MAX_SAFE_INTEGER,
    weight: 0.1,
    flag: false,
    seenAt: at(3),
    nickname: null,
    level: 7,
  },
  { name: 'a%b', rank: 10, weight: 10.5, flag: true, seenAt: at(4), nickname: '%', level: null },
  { name: 'a_b', rank: 11, weight: 11.5, flag: false, seenAt: at(5), nickname: '_', level: 2 },
  { name: 'axb', rank: 12, weight: 12.5, flag: true, seenAt: at(6), nickname: 'a\\b', level: 3 },
  { name: 'a\\b', rank: 13, weight: 13.5, flag: false, seenAt: at(7), nickname: null, level: 4 },
  { name: "it's", rank: 14, weight: -0.5, flag: true, seenAt: at(8), nickname: "o'neil", level: null },
  { name: 'say "hi"', rank: 15, weight: 15.25, flag: false, seenAt: at(9), nickname: 'x', level: 5 },
  {
    name: '100%',
    rank: Number.MIN_SAFE_INTEGER,
    weight: -1e10,
    flag: true,
    seenAt: at(10),
    nickname: null,
    level: 6,
  },
  { name: 'wow!', rank: 16, weight: 16, flag: false, seenAt: at(11), nickname: '!', level: 1 },
  { name: '[x]', rank: 17, weight: 17, flag: true, seenAt: at(12), nickname: '[x]', level: null },
];

export function filterCases(ctx: SuiteContext): void {
  describe('filters', () => {
    const db = ctx.shared();
    let stored: G[] = [];
    beforeAll(async () => {
      await ctx.clear(db(), Gadget);
      stored = await db().repository(Gadget).insertMany(GADGETS);
    });

    /** Asserts that `where` matches exactly the rows `predicate` picks, through find and count. */
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

    it('the dataset is stored as written', async () => {
      expect((await ctx.raw(Gadget)).length).toBe(GADGETS.length);
    });

    it('eq on every filterable kind, and case-sensitive string equality', async () => {
      await expectMatches({ name: 'alpha' }, (r) => r.name === 'alpha');
      await expectMatches({ name: { eq: 'abc' } }, (r) => r.name === 'abc');
      await expectMatches({ name: 'ABC' }, (r) => r.name === 'ABC');
      await expectMatches({ rank: 3 }, (r) => r.rank === 3);
      await expectMatches({ rank: Number.MAX_SAFE_INTEGER }, (r) => r.rank === Number.MAX_SAFE_INTEGER);
      await expectMatches({ weight: -2.25 }, (r) => r.weight === -2.25);
      await expectMatches({ flag: true }, (r) => r.flag);
      await expectMatches({ flag: { eq: false } }, (r) => !r.flag);
      await expectMatches({ seenAt: at(1) }, (r) => r.seenAt.getTime() === BASE + 1);
      await expectMatches({ nickname: 'al' }, (r) => r.nickname === 'al');
      await expectMatches({ level: 3 }, (r) => r.level === 3);
      await expectMatches({ id: stored[2]!.id }, (r) => r.id === stored[2]!.id);
      await expectMatches({ name: undefined }, () => true);
      await expectMatches({}, () => true);
    });

    it('ne matches every other row, nulls included', async () => {
      await expectMatches({ rank: { ne: 3 } }, (r) => r.rank !== 3);
      await expectMatches({ nickname: { ne: 'al' } }, (r) => r.nickname !== 'al');
      await expectMatches({ level: { ne: 3 } }, (r) => r.level !== 3);
      await expectMatches({ flag: { ne: true } }, (r) => r.flag !== true);
      await expectMatches({ seenAt: { ne: at(0) } }, (r) => r.seenAt.getTime() !== BASE);
    });

    it('gt/gte/lt/lte on integers, numbers, strings and datetimes (ms precision); nulls never match', async () => {
      await expectMatches({ rank: { gt: 3 } }, (r) => r.rank > 3);
      await expectMatches({ rank: { gte: 3 } }, (r) => r.rank >= 3);
      await expectMatches({ rank: { lt: 3 } }, (r) => r.rank < 3);
      await expectMatches({ rank: { lte: -5 } }, (r) => r.rank <= -5);
      await expectMatches({ rank: { gt: 1, lte: 3 } }, (r) => r.rank > 1 && r.rank <= 3);
      await expectMatches({ weight: { gt: 0 } }, (r) => r.weight > 0);
      await expectMatches({ weight: { lte: -0.5 } }, (r) => r.weight <= -0.5);
      await expectMatches({ weight: { gte: 0.1, lt: 1.5 } }, (r) => r.weight >= 0.1 && r.weight < 1.5);
      await expectMatches({ name: { gt: 'bravo' } }, (r) => r.name > 'bravo');
      await expectMatches({ name: { lt: 'a' } }, (r) => r.name < 'a');
      await expectMatches({ name: { gte: 'a', lt: 'b' } }, (r) => r.name >= 'a' && r.name < 'b');
      await expectMatches({ seenAt: { gt: at(0) } }, (r) => r.seenAt.getTime() > BASE);
      await expectMatches({ seenAt: { gte: at(1), lte: at(3) } }, (r) => {
        const t = r.seenAt.getTime() - BASE;
        return t >= 1 && t <= 3;
      });
      await expectMatches({ seenAt: { lt: at(0) } }, (r) => r.seenAt.getTime() < BASE);
      await expectMatches({ level: { gt: 2 } }, (r) => r.level !== null && r.level > 2);
      await expectMatches({ level: { lte: 1 } }, (r) => r.level !== null && r.level <= 1);
      await expectMatches({ nickname: { gte: 'a' } }, (r) => r.nickname !== null && r.nickname >= 'a');
      await expectMatches({ id: { gt: stored[4]!.id } }, (r) => r.id > stored[4]!.id);
    });

    it('in and notIn, empty lists included; notIn matches nulls', async () => {
      await expectMatches({ rank: { in: [1, 3] } }, (r) => r.rank === 1 || r.rank === 3);
      await expectMatches({ name: { in: ['alpha', 'nope', 'a_b'] } }, (r) =>
        ['alpha', 'a_b'].includes(r.name),
      );
      await expectMatches({ weight: { in: [0, 0.1] } }, (r) => r.weight === 0 || r.weight === 0.1);
      await expectMatches({ flag: { in: [false] } }, (r) => !r.flag);
      await expectMatches({ seenAt: { in: [at(0), at(1_000)] } }, (r) =>
        [BASE, BASE + 1_000].includes(r.seenAt.getTime()),
      );
      await expectMatches({ rank: { notIn: [1, 3] } }, (r) => r.rank !== 1 && r.rank !== 3);
      await expectMatches({ level: { in: [1, 3] } }, (r) => r.level === 1 || r.level === 3);
      await expectMatches({ level: { notIn: [1, 3] } }, (r) => r.level !== 1 && r.level !== 3);
      await expectMatches(
        { nickname: { notIn: ['al', 'x'] } },
        (r) => r.nickname !== 'al' && r.nickname !== 'x',
      );
      await expectMatches({ rank: { in: [] } }, () => false);
      await expectMatches({ level: { in: [] } }, () => false);
      await expectMatches({ rank: { notIn: [] } }, () => true);
      await expectMatches({ level: { notIn: [] } }, () => true);
      await expectMatches(
        { id: { in: [stored[0]!.id, stored[5]!.id] } },
        (r) => r === stored[0] || r === stored[5],
      );
    });

    it('contains and startsWith treat %, _, \\, !, quotes and brackets literally, case-sensitively', async () => {
      const contains = (s: string) => (r: G) => r.name.includes(s);
      for (const s of ['%', '_', '\\', '!', "'", '"hi"', '[x]', 'a%', '%b', 'a_b', 'BC', 'bc', 'lph', '']) {
        await expectMatches({ name: { contains: s } }, contains(s));
      }
      for (const s of ['a', 'a%', 'a_', 'a\\', '100%', 'A', 'ab', "it'", '[', '%', '_']) {
        await expectMatches({ name: { startsWith: s } }, (r) => r.name.startsWith(s));
      }
      await expectMatches({ nickname: { contains: 'har' } }, (r) => r.nickname?.includes('har') ?? false);
      await expectMatches({ nickname: { startsWith: 'c' } }, (r) => r.nickname?.startsWith('c') ?? false);
      await expectMatches({ nickname: { startsWith: 'C' } }, (r) => r.nickname?.startsWith('C') ?? false);
      await expectMatches({ nickname: { contains: '\\' } }, (r) => r.nickname?.includes('\\') ?? false);
      await expectMatches({ nickname: { contains: '%' } }, (r) => r.nickname?.includes('%') ?? false);
      const prefix = stored[3]!.id.slice(0, 30);
      await expectMatches({ id: { startsWith: prefix } }, (r) => r.id.startsWith(prefix));
    });

    it('null: isNull true/false, plain null, and ne null', async () => {
      await expectMatches({ nickname: { isNull: true } }, (r) => r.nickname === null);
      await expectMatches({ nickname: { isNull: false } }, (r) => r.nickname !== null);
      await expectMatches({ nickname: null }, (r) => r.nickname === null);
      await expectMatches({ level: { eq: null } }, (r) => r.level === null);
      await expectMatches({ level: { ne: null } }, (r) => r.level !== null);
      await expectMatches({ name: { isNull: true } }, () => false);
      await expectMatches({ level: null, flag: true }, (r) => r.level === null && r.flag);
    });

    it('and, or and not nest', async () => {
      await expectMatches({ rank: 3, flag: true }, (r) => r.rank === 3 && r.flag);
      await expectMatches({ or: [{ rank: 1 }, { rank: 2 }] }, (r) => r.rank === 1 || r.rank === 2);
      await expectMatches(
        { or: [{ rank: 1 }, { and: [{ flag: false }, { level: { isNull: true } }] }] },
        (r) => r.rank === 1 || (!r.flag && r.level === null),
      );
      await expectMatches({ not: { or: [{ rank: 3 }, { flag: true }] } }, (r) => !(r.rank === 3 || r.flag));
      await expectMatches(
        { and: [{ rank: { gte: 1 } }, { not: { name: 'alpha' } }] },
        (r) => r.rank >= 1 && r.name !== 'alpha',
      );
      await expectMatches({ not: { not: { rank: 3 } } }, (r) => r.rank === 3);
      await expectMatches(
        { flag: true, or: [{ level: { gt: 2 } }, { nickname: null }], not: { name: { startsWith: '1' } } },
        (r) =>
          r.flag && ((r.level !== null && r.level > 2) || r.nickname === null) && !r.name.startsWith('1'),
      );
      await expectMatches({ and: [] }, () => true);
      await expectMatches({ or: [] }, () => false);
      await expectMatches({ not: {} }, () => false);
      await expectMatches({ not: { or: [] } }, () => true);
    });

    it('not over nullable fields is two-valued: rows holding null match the negation', async () => {
      await expectMatches({ not: { nickname: 'al' } }, (r) => r.nickname !== 'al');
      await expectMatches({ not: { level: { gt: 1 } } }, (r) => !(r.level !== null && r.level > 1));
      await expectMatches({ not: { level: { in: [1, 3] } } }, (r) => !(r.level === 1 || r.level === 3));
      await expectMatches({ not: { level: { notIn: [1, 3] } } }, (r) => r.level === 1 || r.level === 3);
      await expectMatches({ not: { level: { ne: 3 } } }, (r) => r.level === 3);
      await expectMatches(
        { not: { nickname: { contains: 'ar' } } },
        (r) => !(r.nickname?.includes('ar') ?? false),
      );
      await expectMatches({ not: { nickname: { isNull: true } } }, (r) => r.nickname !== null);
      await expectMatches({ not: { nickname: null } }, (r) => r.nickname !== null);
      await expectMatches(
        { not: { and: [{ level: { gte: 1 } }, { nickname: { ne: 'x' } }] } },
        (r) => !(r.level !== null && r.level >= 1 && r.nickname !== 'x'),
      );
      await expectMatches(
        { not: { or: [{ level: 3 }, { nickname: { startsWith: 'c' } }] } },
        (r) => !(r.level === 3 || (r.nickname?.startsWith('c') ?? false)),
      );
    });

    it('refuses malformed filters with ValidationError', async () => {
      const repo = db().repository(Gadget);
      const bad: unknown[] = [
        { nope: 1 },
        { constructor: 'x' },
        JSON.parse('{"__proto__": {"ne": "x"}}'),
        { $where: '1' },
        { rank: { like: 'x' } },
        { rank: {} },
        { name: { $ne: null } },
        { name: { $gt: '' } },
        { rank: '3' },
        { rank: 1.5 },
        { rank: { gt: 'x' } },
        { rank: { gt: null } },
        { rank: Number.MAX_SAFE_INTEGER + 1 },
        { weight: Number.NaN },
        { weight: Number.POSITIVE_INFINITY },
        { flag: 'true' },
        { flag: 1 },
        { seenAt: '2024-06-01T12:00:00.000Z' },
        { seenAt: BASE },
        { seenAt: new Date(Number.NaN) },
        { name: 5 },
        { name: ['alpha'] },
        { name: 'nul\u0000' },
        { rank: { in: 3 } },
        { rank: { in: ['3'] } },
        { rank: { notIn: [null] } },
        { name: { contains: 5 } },
        { rank: { contains: '1' } },
        { flag: { startsWith: 't' } },
        { level: { isNull: 'yes' } },
        { extra: { isNull: true } },
        { extra: { a: 1 } },
        { extra: null },
        { and: { rank: 1 } },
        { or: 'rank = 1' },
        { not: 5 },
        { and: [5] },
        'rank = 1',
        [],
        null,
        42,
        new Date(),
        Array.from({ length: 20 }).reduce<object>((inner) => ({ not: inner }), { rank: 1 }),
      ];
      for (const where of bad) {
        await rejection(repo.find({ where: where as Where<typeof Gadget> }), ValidationError);
        await rejection(repo.count(where as Where<typeof Gadget>), ValidationError);
      }
    });

    it('values that look like injection match nothing extra and change nothing', async () => {
      const injections = [
        "' OR 1=1 --",
        "alpha' OR '1'='1",
        '" OR ""="',
        "'; DELETE FROM conformance_gadgets; --",
        '\\',
        "\\' OR 1=1 --",
        '*',
        '.*',
        '{"$ne": null}',
      ];
      for (const value of injections) {
        await expectMatches({ name: value }, (r) => r.name === value);
        await expectMatches({ name: { ne: value } }, (r) => r.name !== value);
        await expectMatches(
          { name: { in: [value, 'alpha'] } },
          (r) => r.name === value || r.name === 'alpha',
        );
        await expectMatches({ name: { contains: value } }, (r) => r.name.includes(value));
        await expectMatches({ name: { startsWith: value } }, (r) => r.name.startsWith(value));
        await expectMatches({ nickname: { gt: value } }, (r) => r.nickname !== null && r.nickname > value);
      }
      expect((await ctx.raw(Gadget)).length).toBe(GADGETS.length);
    });
  });
}
