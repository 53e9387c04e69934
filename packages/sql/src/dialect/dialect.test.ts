import { field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { fitIdentifier } from './fit-identifier.js';
import { createMysqlDialect, mysqlDialect } from './mysql-dialect.js';
import { postgresDialect } from './postgres-dialect.js';

describe('quoting', () => {
  it('doubles the quote character inside PostgreSQL identifiers', () => {
    expect(postgresDialect.quoteIdentifier('name')).toBe('"name"');
    expect(postgresDialect.quoteIdentifier('a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"');
    expect(postgresDialect.quoteIdentifier('`b`')).toBe('"`b`"');
  });

  it('doubles backticks inside MySQL identifiers', () => {
    expect(mysqlDialect.quoteIdentifier('name')).toBe('`name`');
    expect(mysqlDialect.quoteIdentifier('a`; DROP TABLE x; --')).toBe('`a``; DROP TABLE x; --`');
    expect(mysqlDialect.quoteIdentifier('"b"')).toBe('`"b"`');
  });
});

describe('placeholders and literals', () => {
  it('numbers PostgreSQL placeholders and uses ? on MySQL', () => {
    expect(postgresDialect.placeholder(1)).toBe('$1');
    expect(postgresDialect.placeholder(12)).toBe('$12');
    expect(mysqlDialect.placeholder(12)).toBe('?');
  });

  it('writes constant conditions', () => {
    expect([postgresDialect.literal(true), postgresDialect.literal(false)]).toEqual(['TRUE', 'FALSE']);
    expect([mysqlDialect.literal(true), mysqlDialect.literal(false)]).toEqual(['1=1', '1=0']);
  });
});

describe('column types', () => {
  const kinds = {
    id: field.id().meta,
    string: field.string().meta,
    long: field.string({ max: 20_000 }).meta,
    integer: field.integer().meta,
    number: field.number().meta,
    boolean: field.boolean().meta,
    datetime: field.datetime().meta,
    json: field.json().meta,
    version: field.version().meta,
    createdAt: field.createdAt().meta,
    updatedAt: field.updatedAt().meta,
  };

  it('maps every kind on PostgreSQL', () => {
    const types = Object.fromEntries(
      Object.entries(kinds).map(([k, m]) => [k, postgresDialect.columnType(m)]),
    );
    expect(types).toEqual({
      id: 'varchar(36) COLLATE "C"',
      string: 'varchar(255) COLLATE "C"',
      long: 'varchar(20000) COLLATE "C"',
      integer: 'bigint',
      number: 'double precision',
      boolean: 'boolean',
      datetime: 'timestamptz(3)',
      json: 'jsonb',
      version: 'integer',
      createdAt: 'timestamptz(3)',
      updatedAt: 'timestamptz(3)',
    });
  });

  it('maps every kind on MySQL, with binary collation on strings', () => {
    const types = Object.fromEntries(Object.entries(kinds).map(([k, m]) => [k, mysqlDialect.columnType(m)]));
    expect(types).toEqual({
      id: 'varchar(36) COLLATE utf8mb4_bin',
      string: 'varchar(255) COLLATE utf8mb4_bin',
      long: 'mediumtext COLLATE utf8mb4_bin',
      integer: 'bigint',
      number: 'double',
      boolean: 'tinyint(1)',
      datetime: 'datetime(3)',
      json: 'json',
      version: 'int',
      createdAt: 'datetime(3)',
      updatedAt: 'datetime(3)',
    });
  });

  it('switches to text types at the varchar limits', () => {
    expect(mysqlDialect.columnType(field.string({ max: 16_383 }).meta)).toBe(
      'varchar(16383) COLLATE utf8mb4_bin',
    );
    expect(mysqlDialect.columnType(field.string({ max: 16_384 }).meta)).toBe(
      'mediumtext COLLATE utf8mb4_bin',
    );
    expect(mysqlDialect.columnType(field.string({ max: 5_000_000 }).meta)).toBe(
      'longtext COLLATE utf8mb4_bin',
    );
    expect(postgresDialect.columnType(field.string({ max: 20_000_000 }).meta)).toBe('text COLLATE "C"');
  });

  it('takes another MySQL collation, and refuses a malformed one', () => {
    const dialect = createMysqlDialect({ collation: 'utf8mb4_0900_bin' });
    expect(dialect.columnType(field.id().meta)).toBe('varchar(36) COLLATE utf8mb4_0900_bin');
    expect(dialect.tableOptions).toBe(' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin');
    expect(() => createMysqlDialect({ collation: 'x; DROP' })).toThrow(RangeError);
  });
});

describe('fitIdentifier', () => {
  it('keeps names that fit', () => {
    expect(fitIdentifier('employees_email_key', 63)).toBe('employees_email_key');
    expect(fitIdentifier('x'.repeat(63), 63)).toBe('x'.repeat(63));
  });

  it('shortens long names deterministically and keeps them distinct', () => {
    const a = fitIdentifier(`${'a'.repeat(60)}_first_key`, 63);
    const b = fitIdentifier(`${'a'.repeat(60)}_second_key`, 63);
    expect(a).toHaveLength(63);
    expect(a).toBe(fitIdentifier(`${'a'.repeat(60)}_first_key`, 63));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^a+_[0-9a-f]{8}$/);
  });
});
