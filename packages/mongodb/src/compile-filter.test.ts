import { type Condition, defineEntity, field, normalizeWhere } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { compileFilter, targetsOneDocument } from './compile-filter.js';
import { compileSort } from './compile-sort.js';
import { escapeRegex } from './escape-regex.js';

const Thing = defineEntity('things', {
  id: field.id(),
  name: field.string(),
  rank: field.integer(),
  level: field.integer().nullable(),
  at: field.datetime(),
});

const OPERATORS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$regex',
  '$and',
  '$or',
  '$nor',
  '$exists',
]);

/** Every key of a compiled filter that starts with `$` is one the compiler writes; values are never documents. */
function expectOnlyCompilerOperators(filter: unknown): void {
  if (Array.isArray(filter)) {
    for (const item of filter) expectOnlyCompilerOperators(item);
    return;
  }
  if (filter === null || typeof filter !== 'object' || filter instanceof Date) return;
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$')) expect(OPERATORS).toContain(key);
    else expect(value !== null && typeof value === 'object' && !(value instanceof Date)).toBe(true);
    expectOnlyCompilerOperators(value);
  }
}

describe('compileFilter', () => {
  it('puts every value under an explicit operator, and stores id as _id', () => {
    const at = new Date(0);
    expect(compileFilter(normalizeWhere(Thing, { id: 'x', name: 'a', at }))).toEqual({
      $and: [{ _id: { $eq: 'x' } }, { name: { $eq: 'a' } }, { at: { $eq: at } }],
    });
    for (const op of ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const) {
      expect(compileFilter({ type: 'compare', field: 'rank', op, value: 3 })).toEqual({
        rank: { [`$${op}`]: 3 },
      });
    }
  });

  it('compiles in, notIn, null checks and the combinators', () => {
    expect(compileFilter(normalizeWhere(Thing, { rank: { in: [1, 2] } }))).toEqual({ rank: { $in: [1, 2] } });
    expect(compileFilter(normalizeWhere(Thing, { rank: { notIn: [1] } }))).toEqual({ rank: { $nin: [1] } });
    expect(compileFilter(normalizeWhere(Thing, { level: null }))).toEqual({ level: { $eq: null } });
    expect(compileFilter(normalizeWhere(Thing, { level: { ne: null } }))).toEqual({ level: { $ne: null } });
    // Two-valued: ne on a nullable field arrives as or(ne, null); not is a plain $nor.
    expect(compileFilter(normalizeWhere(Thing, { level: { ne: 3 } }))).toEqual({
      $or: [{ level: { $ne: 3 } }, { level: { $eq: null } }],
    });
    expect(compileFilter(normalizeWhere(Thing, { not: { rank: 1 } }))).toEqual({
      $nor: [{ rank: { $eq: 1 } }],
    });
  });

  it('compiles literals: true matches all, false matches nothing', () => {
    expect(compileFilter({ type: 'literal', value: true })).toEqual({});
    expect(compileFilter({ type: 'literal', value: false })).toEqual({ _id: { $exists: false } });
  });

  it('escapes like patterns; startsWith is anchored', () => {
    expect(compileFilter({ type: 'like', field: 'name', mode: 'contains', value: 'a.b*' })).toEqual({
      name: { $regex: 'a\\.b\\*' },
    });
    expect(compileFilter({ type: 'like', field: 'name', mode: 'startsWith', value: '^x$' })).toEqual({
      name: { $regex: '^\\^x\\$' },
    });
  });

  it('never emits an operator taken from a value, whatever the value looks like', () => {
    const values = ['$where', '{"$ne": null}', '$gt', '.*', '$regex', '__proto__'];
    for (const value of values) {
      const conditions: Condition[] = [
        normalizeWhere(Thing, { name: value }),
        normalizeWhere(Thing, { name: { ne: value, in: [value], contains: value, startsWith: value } }),
        normalizeWhere(Thing, { not: { or: [{ name: value }, { level: { gt: 1 } }] } }),
      ];
      for (const condition of conditions) expectOnlyCompilerOperators(compileFilter(condition));
    }
  });
});

describe('escapeRegex', () => {
  it('makes every awkward string match itself literally and nothing broader', () => {
    const texts = [
      '',
      'a.b',
      '.*',
      '100% _x_',
      'back\\slash',
      '[x]',
      '(a|b)',
      '^start',
      'end$',
      '{1,2}',
      'a+b?',
      'line\nbreak',
      '🚀',
    ];
    for (const text of texts) {
      const pattern = new RegExp(escapeRegex(text));
      expect(pattern.test(`pre ${text} post`)).toBe(true);
      if (text.length > 1) expect(pattern.test(text.slice(1))).toBe(text.slice(1).includes(text));
      expect(new RegExp(`^${escapeRegex(text)}`).test(`${text}tail`)).toBe(true);
    }
    expect(new RegExp(escapeRegex('a.c')).test('abc')).toBe(false);
  });
});

describe('compileSort', () => {
  it('keeps the key order, maps id to _id, and uses 1 / -1', () => {
    expect(
      compileSort([
        { field: 'rank', direction: 'desc' },
        { field: 'name', direction: 'asc' },
        { field: 'id', direction: 'asc' },
      ]),
    ).toEqual({ rank: -1, name: 1, _id: 1 });
    expect(
      Object.keys(
        compileSort([
          { field: 'rank', direction: 'desc' },
          { field: 'id', direction: 'asc' },
        ]),
      ),
    ).toEqual(['rank', '_id']);
  });
});

describe('targetsOneDocument', () => {
  it('is true for an id equality, alone or in an and, and false otherwise', () => {
    expect(targetsOneDocument(normalizeWhere(Thing, { id: 'x' }))).toBe(true);
    expect(targetsOneDocument(normalizeWhere(Thing, { id: 'x', rank: 2 }))).toBe(true);
    expect(targetsOneDocument(normalizeWhere(Thing, { id: { ne: 'x' } }))).toBe(false);
    expect(targetsOneDocument(normalizeWhere(Thing, { or: [{ id: 'x' }, { id: 'y' }] }))).toBe(false);
    expect(targetsOneDocument(normalizeWhere(Thing, { not: { id: 'x' } }))).toBe(false);
    expect(targetsOneDocument(normalizeWhere(Thing, { rank: 1 }))).toBe(false);
  });
});
