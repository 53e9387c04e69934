import { ReadOnlyTransactionError, ValidationError, sql } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { beginStatements } from '../dialect/begin-statements.js';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { mapMysqlError } from '../errors/map-mysql-error.js';
import { mapPostgresError } from '../errors/map-postgres-error.js';
import { compileRaw } from './compile-raw.js';

describe('compileRaw', () => {
  const fragment = sql`SELECT ${sql.id('public', 'we"ird`name')} FROM t WHERE a = ${1} AND ${sql`b IN (${sql.join(['x', 'y'])})`}`;

  it('PostgreSQL: numbered placeholders, double-quoted identifiers, values in order', () => {
    expect(compileRaw(postgresDialect, fragment)).toEqual({
      sql: 'SELECT "public"."we""ird`name" FROM t WHERE a = $1 AND b IN ($2, $3)',
      params: [1, 'x', 'y'],
    });
  });

  it('MySQL: ? placeholders and backtick-quoted identifiers', () => {
    expect(compileRaw(mysqlDialect, fragment)).toEqual({
      sql: 'SELECT `public`.`we"ird``name` FROM t WHERE a = ? AND b IN (?, ?)',
      params: [1, 'x', 'y'],
    });
  });

  it('MySQL refuses a literal ? in the text, arrays and plain objects as values; PostgreSQL binds them', () => {
    expect(() => compileRaw(mysqlDialect, sql`SELECT '?'`)).toThrow(ValidationError);
    expect(() => compileRaw(mysqlDialect, sql`SELECT ${[1, 2]}`)).toThrow(/sql.join/);
    expect(() => compileRaw(mysqlDialect, sql`SELECT ${{ a: 1 }}`)).toThrow(/JSON.stringify/);
    expect(compileRaw(mysqlDialect, sql`SELECT ${new Date(0)}, ${Buffer.from('a')}`).params).toHaveLength(2);
    expect(compileRaw(postgresDialect, sql`SELECT '?', ${[1, 2]}`)).toEqual({
      sql: "SELECT '?', $1",
      params: [[1, 2]],
    });
  });

  it('refuses an empty statement', () => {
    expect(() => compileRaw(postgresDialect, sql`  `)).toThrow(ValidationError);
  });
});

describe('beginStatements', () => {
  it('plain BEGIN without options', () => {
    expect(beginStatements(postgresDialect, undefined)).toEqual(['BEGIN']);
    expect(beginStatements(mysqlDialect, {})).toEqual(['START TRANSACTION']);
  });

  it('PostgreSQL: one BEGIN with isolation and access mode', () => {
    expect(beginStatements(postgresDialect, { isolation: 'serializable', readOnly: true })).toEqual([
      'BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY',
    ]);
    expect(beginStatements(postgresDialect, { isolation: 'read committed' })).toEqual([
      'BEGIN ISOLATION LEVEL READ COMMITTED',
    ]);
    expect(beginStatements(postgresDialect, { readOnly: false })).toEqual(['BEGIN READ WRITE']);
  });

  it('MySQL: SET TRANSACTION for the next transaction, then START TRANSACTION with the access mode', () => {
    expect(beginStatements(mysqlDialect, { isolation: 'repeatable read', readOnly: true })).toEqual([
      'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ',
      'START TRANSACTION READ ONLY',
    ]);
    expect(beginStatements(mysqlDialect, { readOnly: true })).toEqual(['START TRANSACTION READ ONLY']);
  });
});

describe('read-only errors', () => {
  it('PostgreSQL 25006 and MySQL 1792 are ReadOnlyTransactionError', () => {
    const pg = Object.assign(new Error('cannot execute INSERT in a read-only transaction'), {
      code: '25006',
    });
    expect(mapPostgresError(pg, [])).toBeInstanceOf(ReadOnlyTransactionError);
    const my = Object.assign(new Error('Cannot execute statement in a READ ONLY transaction.'), {
      errno: 1792,
    });
    expect(mapMysqlError(my, [])).toBeInstanceOf(ReadOnlyTransactionError);
  });
});
