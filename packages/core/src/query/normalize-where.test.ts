import { describe, expect, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Condition } from './condition.js';
import { FILTER_LIMITS } from './filter-limits.js';
import { normalizeWhere } from './normalize-where.js';

const E = defineEntity('employees', {
  id: field.id(),
  name: field.string({ min: 1, max: 5 }),
  salary: field.integer({ min: 0 }),
  score: field.number(),
  active: field.boolean(),
  hiredAt: field.datetime(),
  nick: field.string().nullable(),
  bonus: field.integer().nullable(),
  meta: field.json(),
  version: field.version(),
  createdAt: field.createdAt(),
});

const n = (where: unknown) => normalizeWhere(E, where);
const cmp = (field: string, op: string, value: unknown): Condition =>
  ({ type: 'compare', field, op, value }) as Condition;
const isNull = (field: string, value = true): Condition => ({ type: 'null', field, isNull: value });
const notNull = (field: string) => isNull(field, false);
const TRUE: Condition = { type: 'literal', value: true };
const FALSE: Condition = { type: 'literal', value: false };

function refusal(where: unknown, message?: string | RegExp): ValidationError {
  try {
    n(where);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    if (message !== undefined) expect((error as Error).message).toMatch(message);
    return error as ValidationError;
  }
  throw new Error(`expected ${JSON.stringify(where)} to be refused`);
}

describe('normalizeWhere: leaves', () => {
  it('matches everything for undefined and {}', () => {
    expect(n(undefined)).toEqual(TRUE);
    expect(n({})).toEqual(TRUE);
    expect(n({ name: undefined })).toEqual(TRUE);
  });

  it('turns a plain value into eq', () => {
    expect(n({ name: 'ann' })).toEqual(cmp('name', 'eq', 'ann'));
    expect(n({ salary: 5 })).toEqual(cmp('salary', 'eq', 5));
    expect(n({ active: false })).toEqual(cmp('active', 'eq', false));
    expect(n({ score: 1.5 })).toEqual(cmp('score', 'eq', 1.5));
    expect(n({ id: 'abc' })).toEqual(cmp('id', 'eq', 'abc'));
    expect(n({ version: 3 })).toEqual(cmp('version', 'eq', 3));
  });

  it('treats a Date value as eq, keeping the Date', () => {
    const when = new Date('2024-01-02T03:04:05.006Z');
    const c = n({ hiredAt: when });
    expect(c).toEqual(cmp('hiredAt', 'eq', when));
    expect((c as { value: unknown }).value).toBeInstanceOf(Date);
    expect(n({ createdAt: { lt: when } })).toEqual(cmp('createdAt', 'lt', when));
  });

  it.each(['eq', 'ne', 'gt', 'gte', 'lt', 'lte'])('produces compare %s', (op) => {
    expect(n({ salary: { [op]: 7 } })).toEqual(cmp('salary', op, 7));
    expect(n({ name: { [op]: 'x' } })).toEqual(cmp('name', op, 'x'));
  });

  it('turns null into is-null checks', () => {
    expect(n({ nick: null })).toEqual(isNull('nick'));
    expect(n({ nick: { eq: null } })).toEqual(isNull('nick'));
    expect(n({ nick: { ne: null } })).toEqual(notNull('nick'));
    expect(n({ nick: { isNull: true } })).toEqual(isNull('nick'));
    expect(n({ nick: { isNull: false } })).toEqual(notNull('nick'));
    expect(n({ name: null })).toEqual(isNull('name'));
  });

  it('refuses ordering comparisons with null', () => {
    for (const op of ['gt', 'gte', 'lt', 'lte'])
      refusal({ nick: { [op]: null } }, /cannot compare with null/);
  });

  it('produces in and notIn', () => {
    expect(n({ salary: { in: [1, 2] } })).toEqual({
      type: 'in',
      field: 'salary',
      values: [1, 2],
      negated: false,
    });
    expect(n({ name: { notIn: ['a'] } })).toEqual({
      type: 'in',
      field: 'name',
      values: ['a'],
      negated: true,
    });
    const d = new Date(0);
    expect(n({ hiredAt: { in: [d] } })).toEqual({
      type: 'in',
      field: 'hiredAt',
      values: [d],
      negated: false,
    });
  });

  it('folds an empty in to false and an empty notIn to true', () => {
    expect(n({ salary: { in: [] } })).toEqual(FALSE);
    expect(n({ salary: { notIn: [] } })).toEqual(TRUE);
    expect(n({ bonus: { in: [] } })).toEqual(FALSE);
    expect(n({ bonus: { notIn: [] } })).toEqual(TRUE);
    expect(n({ salary: { in: [] }, name: 'a' })).toEqual(FALSE);
    expect(n({ salary: { notIn: [] }, name: 'a' })).toEqual(cmp('name', 'eq', 'a'));
  });

  it('produces contains and startsWith on strings and ids', () => {
    expect(n({ name: { contains: '%_' } })).toEqual({
      type: 'like',
      field: 'name',
      mode: 'contains',
      value: '%_',
    });
    expect(n({ name: { startsWith: 'a' } })).toEqual({
      type: 'like',
      field: 'name',
      mode: 'startsWith',
      value: 'a',
    });
    expect(n({ id: { startsWith: '0190' } })).toEqual({
      type: 'like',
      field: 'id',
      mode: 'startsWith',
      value: '0190',
    });
  });

  it('joins several operators on one field with and', () => {
    expect(n({ salary: { gte: 1, lt: 10 } })).toEqual({
      type: 'and',
      conditions: [cmp('salary', 'gte', 1), cmp('salary', 'lt', 10)],
    });
  });

  it('joins several fields with and, in key order', () => {
    expect(n({ name: 'a', salary: { gt: 1 }, active: true })).toEqual({
      type: 'and',
      conditions: [cmp('name', 'eq', 'a'), cmp('salary', 'gt', 1), cmp('active', 'eq', true)],
    });
  });

  it('does not apply min/max to filter values', () => {
    expect(n({ salary: { lt: -5 } })).toEqual(cmp('salary', 'lt', -5));
    expect(n({ name: { contains: 'longer than five' } })).toMatchObject({ value: 'longer than five' });
    expect(n({ name: '' })).toEqual(cmp('name', 'eq', ''));
  });
});

describe('normalizeWhere: nullable fields are two-valued', () => {
  it('ne also matches nulls', () => {
    expect(n({ nick: { ne: 'a' } })).toEqual({
      type: 'or',
      conditions: [cmp('nick', 'ne', 'a'), isNull('nick')],
    });
  });

  it('positive comparisons never match nulls', () => {
    for (const op of ['eq', 'gt', 'gte', 'lt', 'lte']) {
      expect(n({ bonus: { [op]: 3 } })).toEqual({
        type: 'and',
        conditions: [notNull('bonus'), cmp('bonus', op, 3)],
      });
    }
    expect(n({ nick: 'a' })).toEqual({ type: 'and', conditions: [notNull('nick'), cmp('nick', 'eq', 'a')] });
  });

  it('in never matches nulls and notIn does', () => {
    const inLeaf: Condition = { type: 'in', field: 'bonus', values: [1, 2], negated: false };
    const notInLeaf: Condition = { type: 'in', field: 'bonus', values: [1, 2], negated: true };
    expect(n({ bonus: { in: [1, 2] } })).toEqual({ type: 'and', conditions: [notNull('bonus'), inLeaf] });
    expect(n({ bonus: { notIn: [1, 2] } })).toEqual({ type: 'or', conditions: [notInLeaf, isNull('bonus')] });
  });

  it('like never matches nulls', () => {
    expect(n({ nick: { contains: 'x' } })).toEqual({
      type: 'and',
      conditions: [notNull('nick'), { type: 'like', field: 'nick', mode: 'contains', value: 'x' }],
    });
  });

  it('flattens the expansion into the surrounding and', () => {
    expect(n({ bonus: { gt: 1, lt: 5 } })).toEqual({
      type: 'and',
      conditions: [notNull('bonus'), cmp('bonus', 'gt', 1), notNull('bonus'), cmp('bonus', 'lt', 5)],
    });
  });

  it('leaves non-nullable fields unexpanded', () => {
    expect(n({ name: { ne: 'a' } })).toEqual(cmp('name', 'ne', 'a'));
    expect(n({ salary: { notIn: [1] } })).toEqual({
      type: 'in',
      field: 'salary',
      values: [1],
      negated: true,
    });
  });
});

describe('normalizeWhere: and, or, not', () => {
  it('combines with and/or and flattens nested ones of the same kind', () => {
    expect(n({ or: [{ name: 'a' }, { salary: 1 }] })).toEqual({
      type: 'or',
      conditions: [cmp('name', 'eq', 'a'), cmp('salary', 'eq', 1)],
    });
    expect(n({ and: [{ name: 'a' }, { and: [{ salary: 1 }, { active: true }] }] })).toEqual({
      type: 'and',
      conditions: [cmp('name', 'eq', 'a'), cmp('salary', 'eq', 1), cmp('active', 'eq', true)],
    });
    expect(n({ or: [{ name: 'a' }, { or: [{ name: 'b' }, { name: 'c' }] }] })).toEqual({
      type: 'or',
      conditions: [cmp('name', 'eq', 'a'), cmp('name', 'eq', 'b'), cmp('name', 'eq', 'c')],
    });
  });

  it('keeps an or inside an and and the reverse', () => {
    expect(n({ active: true, or: [{ name: 'a' }, { name: 'b' }] })).toEqual({
      type: 'and',
      conditions: [
        cmp('active', 'eq', true),
        { type: 'or', conditions: [cmp('name', 'eq', 'a'), cmp('name', 'eq', 'b')] },
      ],
    });
    expect(n({ or: [{ name: 'a', salary: 1 }, { name: 'b' }] })).toEqual({
      type: 'or',
      conditions: [
        { type: 'and', conditions: [cmp('name', 'eq', 'a'), cmp('salary', 'eq', 1)] },
        cmp('name', 'eq', 'b'),
      ],
    });
  });

  it('folds empty and single-member lists', () => {
    expect(n({ and: [] })).toEqual(TRUE);
    expect(n({ or: [] })).toEqual(FALSE);
    expect(n({ or: [{ name: 'a' }] })).toEqual(cmp('name', 'eq', 'a'));
    expect(n({ and: [{ name: 'a' }] })).toEqual(cmp('name', 'eq', 'a'));
    expect(n({ or: [{ name: 'a' }, {}] })).toEqual(TRUE);
    expect(n({ and: [{ name: 'a' }, { or: [] }] })).toEqual(FALSE);
    expect(n({ or: [], name: 'a' })).toEqual(FALSE);
    expect(n({ and: [], name: 'a' })).toEqual(cmp('name', 'eq', 'a'));
  });

  it('negates with not', () => {
    expect(n({ not: { name: 'a' } })).toEqual({ type: 'not', condition: cmp('name', 'eq', 'a') });
    expect(n({ not: { nick: { ne: 'a' } } })).toEqual({
      type: 'not',
      condition: { type: 'or', conditions: [cmp('nick', 'ne', 'a'), isNull('nick')] },
    });
    expect(n({ not: { not: { name: 'a' } } })).toEqual({
      type: 'not',
      condition: { type: 'not', condition: cmp('name', 'eq', 'a') },
    });
  });

  it('folds not of a literal', () => {
    expect(n({ not: {} })).toEqual(FALSE);
    expect(n({ not: { or: [] } })).toEqual(TRUE);
    expect(n({ not: { salary: { in: [] } } })).toEqual(TRUE);
    expect(n({ not: { not: {} } })).toEqual(TRUE);
    expect(n({ name: 'a', not: {} })).toEqual(FALSE);
  });

  it('accepts nesting 16 levels deep and refuses 17', () => {
    const nest = (levels: number) => {
      let where: Record<string, unknown> = { name: 'a' };
      for (let i = 0; i < levels; i++) where = i % 2 ? { not: where } : { and: [where] };
      return where;
    };
    expect(() => n(nest(16))).not.toThrow();
    refusal(nest(17), /deeper than 16/);
    refusal(nest(10_000), /deeper than 16/);
  });
});

describe('normalizeWhere: refusals', () => {
  it('refuses unknown fields, including Object.prototype members', () => {
    const error = refusal({ boss: 'x' }, 'unknown field "boss" in filter');
    expect(error.issues).toEqual([{ field: 'boss', message: 'unknown field' }]);
    refusal({ constructor: 'x' }, /unknown field/);
    refusal({ toString: { eq: 'x' } }, /unknown field/);
    refusal({ hasOwnProperty: 'x' }, /unknown field/);
    refusal(JSON.parse('{"__proto__": {"eq": "x"}}'), /unknown field "__proto__"/);
    refusal({ or: [{ name: 'a' }, { nope: 1 }] }, /unknown field "nope"/);
  });

  it('refuses JSON fields', () => {
    const error = refusal({ meta: { eq: 1 } }, 'field "meta" cannot be filtered on');
    expect(error.issues).toEqual([{ field: 'meta', message: 'not filterable' }]);
    refusal({ meta: null }, /cannot be filtered on/);
  });

  it.each([
    '$ne',
    '$where',
    '$gt',
    'like',
    'regex',
    'EQ',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
  ])('refuses the unknown operator %s', (op) => {
    const where = JSON.parse(`{"name": {${JSON.stringify(op)}: "x"}}`);
    expect(Object.keys(where.name)).toEqual([op]);
    const error = refusal(where, `unknown filter operator "${op}" on name`);
    expect(error.issues).toEqual([{ field: 'name', message: 'unknown operator' }]);
  });

  it('refuses an unknown operator beside known ones', () => {
    refusal({ salary: { gt: 1, $where: 'sleep(1)' } }, /unknown filter operator "\$where"/);
  });

  it('refuses an empty operator object', () => {
    refusal({ name: {} }, /empty filter on name/);
  });

  it('refuses values of the wrong type, without coercion', () => {
    refusal({ salary: '5' }, /invalid filter value: salary must be a finite number/);
    refusal({ salary: { gt: '5' } }, /invalid filter value/);
    refusal({ salary: 1.5 }, /salary must be a safe integer/);
    refusal({ salary: 2 ** 53 }, /safe integer/);
    refusal({ score: Number.NaN }, /finite number/);
    refusal({ score: { lt: Number.POSITIVE_INFINITY } }, /finite number/);
    refusal({ active: 'true' }, /must be a boolean/);
    refusal({ active: 1 }, /must be a boolean/);
    refusal({ hiredAt: '2024-01-01' }, /must be a valid Date/);
    refusal({ hiredAt: new Date(Number.NaN) }, /must be a valid Date/);
    refusal({ hiredAt: 0 }, /must be a valid Date/);
    refusal({ name: new Date() }, /must be a string/);
    refusal({ id: 5 }, /must be a string/);
    refusal({ name: 5n }, /must be a string/);
  });

  it('refuses object values', () => {
    refusal({ name: { eq: { $gt: '' } } }, /must be a string/);
    refusal({ name: { $gt: '' } }, /unknown filter operator/);
    refusal({ name: new String('a') }, /must be a string/);
    refusal({ salary: { in: [{ a: 1 }] } }, /must be a finite number/);
    refusal({ name: new Map() }, /must be a string/);
  });

  it('refuses an array as an equality value', () => {
    refusal({ name: ['a', 'b'] }, /must be a string/);
    refusal({ salary: { eq: [1] } }, /must be a finite number/);
  });

  it('refuses contains and startsWith on non-string fields, and non-string values', () => {
    refusal({ salary: { contains: '1' } }, '"contains" applies to string fields only');
    refusal({ hiredAt: { startsWith: '2024' } }, '"startsWith" applies to string fields only');
    refusal({ active: { contains: 't' } }, /string fields only/);
    refusal({ name: { contains: 5 } }, /must be a string/);
    refusal({ name: { startsWith: null } }, /must not be null/);
  });

  it('refuses in/notIn with a non-array, wrong members or more than 10,000 values', () => {
    refusal({ salary: { in: 5 } }, '"in" on salary takes an array');
    refusal({ salary: { notIn: '1,2' } }, '"notIn" on salary takes an array');
    refusal({ salary: { in: { 0: 1, length: 1 } } }, /takes an array/);
    refusal({ salary: { in: [1, '2'] } }, /must be a finite number/);
    refusal({ salary: { in: [1, null] } }, /must not be null/);
    const many = Array.from({ length: 10_000 }, (_, i) => i);
    expect(n({ salary: { in: many } })).toMatchObject({ type: 'in', values: many });
    refusal({ salary: { in: [...many, 10_000] } }, '"in" on salary takes at most 10000 values');
    refusal({ salary: { notIn: [...many, 10_000] } }, /at most 10000 values/);
  });

  it('refuses isNull with a non-boolean', () => {
    refusal({ nick: { isNull: 'true' } }, '"isNull" on nick takes a boolean');
    refusal({ nick: { isNull: 1 } }, /takes a boolean/);
    refusal({ nick: { isNull: null } }, /takes a boolean/);
  });

  it('refuses NUL characters in strings', () => {
    refusal({ name: 'a\u0000' }, /NUL/);
    refusal({ name: { contains: '\u0000' } }, /NUL/);
    refusal({ name: { startsWith: 'a\u0000' } }, /NUL/);
    refusal({ name: { in: ['ok', '\u0000'] } }, /NUL/);
    refusal({ id: { ne: '\u0000' } }, /NUL/);
  });

  it.each([
    ['null', null],
    ['a string', 'name = 1'],
    ['a number', 1],
    ['true', true],
    ['an array', [{ name: 'a' }]],
    ['a Date', new Date()],
    ['a Map', new Map()],
    [
      'a class instance',
      new (class F {
        name = 'a';
      })(),
    ],
  ])('refuses %s as a filter', (_, where) => {
    refusal(where, 'a filter must be an object');
  });

  it('refuses malformed and/or/not', () => {
    refusal({ and: { name: 'a' } }, '"and" takes an array of filters');
    refusal({ or: 'x' }, '"or" takes an array of filters');
    refusal({ or: [null] }, 'a filter must be an object');
    refusal({ and: [['x']] }, 'a filter must be an object');
    refusal({ not: 'x' }, 'a filter must be an object');
    refusal({ not: [{ name: 'a' }] }, 'a filter must be an object');
    refusal({ not: null }, 'a filter must be an object');
  });

  it('does not pollute Object.prototype', () => {
    refusal(JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('normalizeWhere: sparse arrays and size limits', () => {
  it('refuses sparse in/notIn lists instead of passing holes on', () => {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    const holes = [1, , 3];
    const error = refusal(
      { salary: { in: holes } },
      '"in" on salary has no element at index 1 (a sparse array)',
    );
    expect(error.issues).toEqual([{ field: 'salary', message: 'no element at index 1' }]);
    refusal({ salary: { notIn: new Array(3) } }, /"notIn" on salary has no element at index 0/);
    const deleted = ['a', 'b'];
    delete deleted[1];
    refusal({ name: { in: deleted } }, /index 1 \(a sparse array\)/);
    // An explicit undefined is not a hole, but it is not a value either.
    refusal({ salary: { in: [1, undefined] } }, /salary is required/);
  });

  it('FILTER_LIMITS is read-only, at run time and in its type', () => {
    expect(Object.isFrozen(FILTER_LIMITS)).toBe(true);
    expect(() => {
      // @ts-expect-error the limits cannot be changed
      FILTER_LIMITS.maxListFilters = 5;
    }).toThrow(TypeError);
  });

  it('refuses sparse and/or lists', () => {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    refusal({ or: [{ name: 'a' }, , { name: 'b' }] }, '"or" has no element at index 1 (a sparse array)');
    refusal({ and: new Array(2) }, /"and" has no element at index 0/);
  });

  it(`accepts ${FILTER_LIMITS.maxListFilters} filters in an and/or list and refuses one more`, () => {
    const list = (length: number) => Array.from({ length }, (_, i) => ({ salary: i }));
    const max = FILTER_LIMITS.maxListFilters;
    expect((n({ or: list(max) }) as { conditions?: Condition[] }).conditions).toHaveLength(max);
    expect(() => n({ and: list(max) })).not.toThrow();
    refusal({ or: list(max + 1) }, `"or" takes at most ${max} filters (use "in" for a long list of values)`);
    refusal({ and: list(max + 1) }, /"and" takes at most/);
  });

  it('refuses a 125,000-item or list with a ValidationError, not a stack overflow', () => {
    const huge = Array.from({ length: 125_000 }, (_, i) => ({ salary: i }));
    refusal({ or: huge }, /takes at most/);
    refusal({ not: { and: [{ or: huge }] } }, /takes at most/);
  });

  it(`accepts ${FILTER_LIMITS.maxConditions} field conditions in one filter and refuses one more`, () => {
    const max = FILTER_LIMITS.maxConditions;
    const perList = FILTER_LIMITS.maxListFilters;
    const filter = (total: number) => ({
      and: Array.from({ length: Math.ceil(total / perList) }, (_, block) => ({
        or: Array.from({ length: Math.min(perList, total - block * perList) }, (_, i) => ({
          salary: block * perList + i,
        })),
      })),
    });
    expect(() => n(filter(max))).not.toThrow();
    refusal(filter(max + 1), `a filter may hold at most ${max} field conditions`);
    // Several operators on one field count once: the budget is per field filter.
    expect(() => n({ salary: { gt: 1, lt: 5, ne: 3 } })).not.toThrow();
  });
});
