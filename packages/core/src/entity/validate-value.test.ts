import { describe, expect, it } from 'vitest';
import { type FieldMeta, field } from './field.js';
import { MAX_JSON_NESTING, validateValue } from './validate-value.js';

const ok = (meta: FieldMeta, value: unknown) => expect(validateValue('f', meta, value)).toBeUndefined();
const bad = (meta: FieldMeta, value: unknown, message?: string) => {
  const issue = validateValue('f', meta, value);
  expect(issue, 'expected the value to be refused').toBeDefined();
  expect(issue!.field).toBe('f');
  expect(issue!.message.startsWith('f ')).toBe(true);
  if (message) expect(issue!.message).toBe(`f ${message}`);
};

describe('validateValue: null and undefined', () => {
  it('refuses null on a non-nullable field and accepts it on a nullable one', () => {
    bad(field.string().meta, null, 'must not be null');
    ok(field.string().nullable().meta, null);
    ok(field.json().nullable().meta, null);
    bad(field.json().meta, null, 'must not be null');
  });

  it('refuses undefined, even on a nullable field', () => {
    bad(field.string().meta, undefined, 'is required');
    bad(field.string().nullable().meta, undefined, 'is required');
  });
});

describe('validateValue: strings', () => {
  const s = field.string({ min: 2, max: 5 }).meta;

  it('counts characters as code points', () => {
    ok(s, 'ab');
    ok(s, 'abcde');
    ok(s, '😀😀'); // 4 UTF-16 units, 2 characters
    ok(s, '😀😀😀😀😀'); // 10 UTF-16 units, 5 characters
    bad(s, '😀😀😀😀😀😀', 'must be at most 5 characters');
    bad(s, '😀', 'must be at least 2 characters'); // 2 UTF-16 units, 1 character
    ok(s, 'éèàçü');
    ok(s, '日本語');
  });

  it('enforces min and max', () => {
    bad(s, 'a', 'must be at least 2 characters');
    bad(s, '', 'must be at least 2 characters');
    bad(s, 'abcdef', 'must be at most 5 characters');
  });

  it('defaults to 0..255 characters', () => {
    const d = field.string().meta;
    ok(d, '');
    ok(d, 'x'.repeat(255));
    bad(d, 'x'.repeat(256));
    ok(d, '😀'.repeat(255));
    bad(d, '😀'.repeat(256));
  });

  it('refuses NUL characters', () => {
    bad(s, 'a\u0000b', 'must not contain NUL characters');
    bad(field.id().meta, '\u0000', 'must not contain NUL characters');
  });

  it('refuses non-strings without coercion', () => {
    for (const value of [5, true, {}, [], new Date(), Symbol('x'), 10n, new String('abc')]) {
      bad(s, value, 'must be a string');
    }
  });

  it('checks ids as strings of at most 36 characters', () => {
    ok(field.id().meta, '0190a6c4-5e8b-7cde-8f12-3456789abcde');
    bad(field.id().meta, 'x'.repeat(37));
    bad(field.id().meta, 42);
  });
});

describe('validateValue: integers', () => {
  const i = field.integer({ min: -10, max: 10 }).meta;

  it('accepts safe integers within the range', () => {
    ok(i, 0);
    ok(i, -10);
    ok(i, 10);
    ok(i, -0);
  });

  it('enforces min and max', () => {
    bad(i, -11, 'must be at least -10');
    bad(i, 11, 'must be at most 10');
  });

  it('accepts only safe integers', () => {
    const any = field.integer().meta;
    ok(any, Number.MAX_SAFE_INTEGER);
    ok(any, Number.MIN_SAFE_INTEGER);
    bad(any, Number.MAX_SAFE_INTEGER + 1, 'must be a safe integer');
    bad(any, 2 ** 60, 'must be a safe integer');
    bad(any, 1.5, 'must be a safe integer');
    bad(any, 0.1, 'must be a safe integer');
  });

  it('refuses non-finite and non-numbers', () => {
    const any = field.integer().meta;
    bad(any, Number.NaN, 'must be a finite number');
    bad(any, Number.POSITIVE_INFINITY, 'must be a finite number');
    bad(any, '5', 'must be a finite number');
    bad(any, 5n, 'must be a finite number');
    bad(any, true, 'must be a finite number');
  });

  it('validates versions as integers', () => {
    ok(field.version().meta, 1);
    bad(field.version().meta, 1.5);
    bad(field.version().meta, '1');
  });
});

describe('validateValue: numbers', () => {
  const n = field.number({ min: 0, max: 1 }).meta;

  it('accepts finite numbers, fractions included', () => {
    ok(n, 0.5);
    ok(n, 0);
    ok(n, 1);
    ok(field.number().meta, 1e300);
    ok(field.number().meta, -1e-300);
    ok(field.number().meta, 2 ** 60);
  });

  it('enforces min and max', () => {
    bad(n, -0.0001, 'must be at least 0');
    bad(n, 1.0001, 'must be at most 1');
  });

  it('refuses NaN, infinities and non-numbers', () => {
    bad(n, Number.NaN, 'must be a finite number');
    bad(n, Number.NEGATIVE_INFINITY, 'must be a finite number');
    bad(n, '0.5', 'must be a finite number');
    bad(n, null, 'must not be null');
  });
});

describe('validateValue: booleans', () => {
  it('accepts true and false only', () => {
    const b = field.boolean().meta;
    ok(b, true);
    ok(b, false);
    for (const value of [0, 1, 'true', 'false', {}, []]) bad(b, value, 'must be a boolean');
  });
});

describe('validateValue: datetimes', () => {
  const d = field.datetime().meta;

  it('accepts valid Dates between the years 1000 and 9999', () => {
    ok(d, new Date());
    ok(d, new Date(0));
    ok(d, new Date(Date.UTC(1000, 0, 1)));
    ok(d, new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)));
  });

  it('refuses instants outside the years 1000..9999', () => {
    bad(d, new Date(Date.UTC(1000, 0, 1) - 1), 'must be between the years 1000 and 9999');
    bad(d, new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1), 'must be between the years 1000 and 9999');
    bad(d, new Date(-8.64e15), 'must be between the years 1000 and 9999');
  });

  it('refuses invalid Dates and non-Dates', () => {
    bad(d, new Date(Number.NaN), 'must be a valid Date');
    bad(d, new Date('not a date'), 'must be a valid Date');
    bad(d, '2024-01-01T00:00:00Z', 'must be a valid Date');
    bad(d, Date.now(), 'must be a valid Date');
    bad(d, { getTime: () => 0 }, 'must be a valid Date');
  });

  it('applies to createdAt and updatedAt alike', () => {
    ok(field.createdAt().meta, new Date());
    bad(field.createdAt().meta, new Date(Number.NaN));
    bad(field.updatedAt().meta, 'now');
  });
});

describe('validateValue: json', () => {
  const j = field.json().meta;

  it('accepts any JSON value, nested', () => {
    ok(j, 1);
    ok(j, 'text');
    ok(j, true);
    ok(j, []);
    ok(j, {});
    ok(j, { a: [1, 'two', { three: [null, false, 3.5] }], b: { c: { d: 'e' } } });
    ok(j, JSON.parse('{"__proto__": {"x": 1}}'));
  });

  it('accepts 31 nested arrays or objects and refuses a 32nd (MariaDB refuses deeper JSON)', () => {
    const arrays = (levels: number, inner: unknown = 1) => {
      let value: unknown = inner;
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    };
    const objects = (levels: number, inner: unknown = 1) => {
      let value: unknown = inner;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    expect(MAX_JSON_NESTING).toBe(31);
    ok(j, arrays(31));
    ok(j, objects(31));
    ok(j, arrays(30, {}));
    ok(j, objects(15, arrays(16)));
    bad(j, arrays(32), 'is nested deeper than 31 levels');
    bad(j, objects(32), 'is nested deeper than 31 levels');
    bad(j, arrays(31, []), 'is nested deeper than 31 levels');
    bad(j, objects(31, {}), 'is nested deeper than 31 levels');
    bad(j, objects(16, arrays(16)), 'is nested deeper than 31 levels');
    bad(j, arrays(1000), 'is nested deeper than 31 levels');
  });

  it('refuses sparse arrays in JSON', () => {
    // biome-ignore lint/suspicious/noSparseArray: the point of the test
    bad(j, [1, , 3], 'must be a JSON value');
    bad(j, { list: new Array(2) }, 'must be a JSON value');
  });

  it('refuses very deep and circular values without overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { x: deep };
    bad(j, deep, 'is nested deeper than 31 levels');
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    bad(j, circular);
  });

  it('refuses non-finite numbers anywhere', () => {
    bad(j, Number.NaN, 'must hold finite numbers only');
    bad(j, { a: [1, Number.POSITIVE_INFINITY] }, 'must hold finite numbers only');
    bad(j, [{ b: Number.NaN }], 'must hold finite numbers only');
  });

  it('refuses functions, symbols, bigints and undefined', () => {
    bad(j, () => 1, 'must be a JSON value');
    bad(j, { f: () => 1 }, 'must be a JSON value');
    bad(j, [Symbol('s')], 'must be a JSON value');
    bad(j, { n: 1n }, 'must be a JSON value');
    bad(j, { u: undefined }, 'must be a JSON value');
  });

  it('refuses class instances, Dates, Maps, Sets and boxed values', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    bad(j, new Point(1, 2), 'must be a JSON value');
    bad(j, { when: new Date() }, 'must be a JSON value');
    bad(j, new Map([['a', 1]]), 'must be a JSON value');
    bad(j, [new Set([1])], 'must be a JSON value');
    bad(j, new String('x'), 'must be a JSON value');
    bad(j, new Uint8Array(2), 'must be a JSON value');
  });

  it('refuses NUL characters in keys and in string values', () => {
    bad(j, 'a\u0000', 'must not contain NUL characters');
    bad(j, { 'a\u0000b': 1 }, 'must not contain NUL characters');
    bad(j, { a: ['ok', { b: '\u0000' }] }, 'must not contain NUL characters');
  });
});
