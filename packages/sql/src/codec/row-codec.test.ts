import { DatabaseError, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { parseDatetime } from './parse-datetime.js';
import { decodeValue, encodeRow, encodeValue, encodesAsIs } from './row-codec.js';
import { decodeRow } from './row-decoder.js';

const meta = {
  integer: field.integer().meta,
  number: field.number().meta,
  boolean: field.boolean().meta,
  datetime: field.datetime().meta,
  json: field.json().meta,
  string: field.string().meta,
};

describe('encodeValue', () => {
  it('writes JSON as text on both dialects', () => {
    expect(encodeValue(postgresDialect, meta.json, [1, 'a'])).toBe('[1,"a"]');
    expect(encodeValue(mysqlDialect, meta.json, 'text')).toBe('"text"');
    expect(encodeValue(postgresDialect, meta.json, { a: null })).toBe('{"a":null}');
  });

  it('writes booleans as booleans, or 1/0 on MySQL', () => {
    expect(encodeValue(postgresDialect, meta.boolean, false)).toBe(false);
    expect(encodeValue(mysqlDialect, meta.boolean, true)).toBe(1);
    expect(encodeValue(mysqlDialect, meta.boolean, false)).toBe(0);
  });

  it('keeps dates and numbers, and writes absent values as null', () => {
    const when = new Date();
    expect(encodeValue(postgresDialect, meta.datetime, when)).toBe(when);
    expect(encodeValue(mysqlDialect, meta.datetime, when)).toBe(when);
    expect(encodeValue(postgresDialect, meta.integer, 42)).toBe(42);
    expect(encodeValue(postgresDialect, meta.json, null)).toBeNull();
    expect(encodeValue(postgresDialect, meta.string, undefined)).toBeNull();
  });
});

describe('encodesAsIs', () => {
  // One valid value per kind; `encodesAsIs` lets a bulk insert skip `encodeValue`, so it must never say so
  // for a value that `encodeValue` would change.
  const samples = [
    [field.integer().meta, 42],
    [field.number().meta, 1.5],
    [field.boolean().meta, true],
    [field.datetime().meta, new Date()],
    [field.json().meta, { a: [1] }],
    [field.json().meta, 'text'],
    [field.string().meta, 'x'],
    [field.enum(['a', 'b']).meta, 'a'],
    [field.decimal({ precision: 5, scale: 2 }).meta, '1.50'],
    [field.bigint().meta, 7n],
    [field.date().meta, '2024-02-29'],
    [field.bytes().meta, new Uint8Array([1, 2])],
    [field.bytes().meta, Buffer.from([1, 2])],
  ] as const;

  it('holds only for kinds whose values encodeValue hands over unchanged', () => {
    for (const dialect of [postgresDialect, mysqlDialect])
      for (const [fieldMeta, value] of samples)
        if (encodesAsIs(dialect, fieldMeta)) expect(encodeValue(dialect, fieldMeta, value)).toBe(value);
  });

  it('leaves JSON, bytes and MySQL booleans to encodeValue', () => {
    expect(encodesAsIs(postgresDialect, meta.json)).toBe(false);
    expect(encodesAsIs(postgresDialect, field.bytes().meta)).toBe(false);
    expect(encodesAsIs(mysqlDialect, meta.boolean)).toBe(false);
    expect(encodesAsIs(postgresDialect, meta.boolean)).toBe(true);
    expect(encodesAsIs(mysqlDialect, meta.string)).toBe(true);
  });
});

describe('decodeValue', () => {
  it('reads int8 strings and bigints as numbers', () => {
    expect(decodeValue(postgresDialect, meta.integer, '9007199254740991')).toBe(9007199254740991);
    expect(decodeValue(mysqlDialect, meta.integer, 12n)).toBe(12);
    expect(decodeValue(mysqlDialect, meta.number, '1.25')).toBe(1.25);
    expect(() => decodeValue(mysqlDialect, meta.number, 'abc')).toThrow(DatabaseError);
  });

  it('reads TINYINT and text booleans', () => {
    expect(decodeValue(mysqlDialect, meta.boolean, 1)).toBe(true);
    expect(decodeValue(mysqlDialect, meta.boolean, 0)).toBe(false);
    expect(decodeValue(mysqlDialect, meta.boolean, '1')).toBe(true);
    expect(decodeValue(postgresDialect, meta.boolean, 't')).toBe(true);
    expect(decodeValue(postgresDialect, meta.boolean, false)).toBe(false);
    expect(() => decodeValue(postgresDialect, meta.boolean, 'maybe')).toThrow(DatabaseError);
  });

  it('reads dates from Date and text as UTC', () => {
    const when = new Date('2024-02-29T23:59:58.765Z');
    expect(decodeValue(mysqlDialect, meta.datetime, when)).toBe(when);
    expect(decodeValue(mysqlDialect, meta.datetime, '2024-02-29 23:59:58.765')).toEqual(when);
    expect(decodeValue(postgresDialect, meta.datetime, '2024-03-01 01:59:58.765+02')).toEqual(when);
    expect(() => decodeValue(postgresDialect, meta.datetime, 'yesterday')).toThrow(DatabaseError);
  });

  it('parses JSON text where the driver does not, and trusts it where it does', () => {
    expect(decodeValue(mysqlDialect, meta.json, '{"a":[1]}')).toEqual({ a: [1] });
    expect(decodeValue(mysqlDialect, meta.json, '"text"')).toBe('text');
    expect(decodeValue(mysqlDialect, meta.json, Buffer.from('[true]'))).toEqual([true]);
    expect(decodeValue(postgresDialect, meta.json, 'text')).toBe('text');
    expect(() => decodeValue(mysqlDialect, meta.json, '{oops')).toThrow(DatabaseError);
  });

  it('keeps null', () => {
    for (const m of Object.values(meta)) expect(decodeValue(mysqlDialect, m, null)).toBeNull();
  });
});

describe('rows', () => {
  it('round-trips a row through MySQL’s storage forms', () => {
    const when = new Date('2024-01-02T03:04:05.006Z');
    const row = {
      id: 'a',
      email: 'a@x',
      name: 'A',
      nickname: null,
      salary: 10,
      rating: 0.5,
      active: true,
      hiredAt: when,
      profile: { tags: ['x'] },
      version: 1,
      createdAt: when,
      updatedAt: when,
    };
    const encoded = encodeRow(mysqlDialect, Employee, row);
    expect(encoded).toEqual(['a', 'a@x', 'A', null, 10, 0.5, 1, when, '{"tags":["x"]}', 1, when, when]);
    const stored = Object.fromEntries(Employee.fieldNames.map((name, i) => [name, encoded[i]]));
    expect(decodeRow(mysqlDialect, Employee, { ...stored, extra: 'ignored' })).toEqual(row);
  });
});

describe('parseDatetime', () => {
  it('reads the formats drivers return', () => {
    expect(parseDatetime('2024-01-02 03:04:05')?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(parseDatetime('2024-01-02T03:04:05.1Z')?.toISOString()).toBe('2024-01-02T03:04:05.100Z');
    expect(parseDatetime('2024-01-02 03:04:05.123456-05:30')?.toISOString()).toBe('2024-01-02T08:34:05.123Z');
    expect(parseDatetime('2024-01-02 03:04:05+0100')?.toISOString()).toBe('2024-01-02T02:04:05.000Z');
    expect(parseDatetime('2024-13-45 99:00:00')).toBeUndefined();
    expect(parseDatetime('not a date')).toBeUndefined();
  });
});
