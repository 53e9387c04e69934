import { ConnectionLostError, DatabaseError, type EntityMeta } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { mapPostgresError } from '../errors/map-postgres-error.js';
import { Employee } from '../../test/fixtures.js';
import { POSTGRES_SCHEMA_LOCK_KEY, withMysqlSchemaLock, withPostgresSchemaLock } from './schema-lock.js';
import { SqlConnection } from './sql-connection.js';
import type { SqlResult } from './sql-result.js';

type Responder = (sql: string, params: unknown[]) => SqlResult | Error;

/** A connection over a scripted "database" that records every statement. */
class ScriptedConnection extends SqlConnection {
  readonly id = 'scripted-1';
  readonly log: string[] = [];

  constructor(
    dialect: SqlDialect,
    readonly respond: Responder = () => ({ rows: [], affectedRows: 0 }),
  ) {
    super(dialect);
  }

  protected async execute(sql: string, params: unknown[]): Promise<SqlResult> {
    this.log.push(sql);
    const result = this.respond(sql, params);
    if (result instanceof Error) {
      const mapped = mapPostgresError(result, this.entities);
      if (mapped instanceof ConnectionLostError) this.markBroken();
      throw mapped;
    }
    return result;
  }

  protected withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
    const execute = (sql: string, params: unknown[]) => this.execute(sql, params);
    return this.dialect.name === 'postgres'
      ? withPostgresSchemaLock(execute, this.inTransaction, fn)
      : withMysqlSchemaLock(execute, fn);
  }

  get knownEntities(): readonly EntityMeta[] {
    return this.entities;
  }
}

function fullRow(i: number) {
  const at = new Date(0);
  return {
    id: `id${i}`,
    email: `${i}@x`,
    name: `n${i}`,
    nickname: null,
    salary: i,
    rating: 1,
    active: true,
    hiredAt: at,
    profile: {},
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

describe('SqlConnection', () => {
  it('decodes found rows and counts', async () => {
    const connection = new ScriptedConnection(mysqlDialect, (sql) =>
      sql.startsWith('SELECT COUNT')
        ? { rows: [{ count: '7' }], affectedRows: 0 }
        : { rows: [{ ...fullRow(1), active: 1, salary: '1', profile: '{"tags":[]}' }], affectedRows: 0 },
    );
    const where = { type: 'literal', value: true } as const;
    const [row] = await connection.find({ entity: Employee, where, orderBy: [] });
    expect(row).toMatchObject({ active: true, salary: 1, profile: { tags: [] } });
    expect(await connection.count({ entity: Employee, where })).toBe(7);
  });

  it('wraps a chunked insert in a transaction, but not a single statement', async () => {
    const connection = new ScriptedConnection(postgresDialect);
    await connection.insert({ entity: Employee, rows: [fullRow(1)] });
    expect(connection.log.map((s) => s.slice(0, 6))).toEqual(['INSERT']);

    connection.log.length = 0;
    const rows = Array.from({ length: 1500 }, (_, i) => fullRow(i));
    await connection.insert({ entity: Employee, rows });
    expect(connection.log.map((s) => s.slice(0, 6))).toEqual(['BEGIN', 'INSERT', 'INSERT', 'COMMIT']);

    connection.log.length = 0;
    await connection.begin();
    await connection.insert({ entity: Employee, rows });
    await connection.commit();
    expect(connection.log.map((s) => s.slice(0, 6))).toEqual(['BEGIN', 'INSERT', 'INSERT', 'COMMIT']);
  });

  it('rolls a failed chunked insert back and maps the error', async () => {
    let inserts = 0;
    const connection = new ScriptedConnection(postgresDialect, (sql) =>
      sql.startsWith('INSERT') && ++inserts === 2
        ? Object.assign(new Error('dup'), { code: '23505', constraint: 'employees_email_key' })
        : { rows: [], affectedRows: 0 },
    );
    const rows = Array.from({ length: 1500 }, (_, i) => fullRow(i));
    await expect(connection.insert({ entity: Employee, rows })).rejects.toMatchObject({
      code: 'UNIQUE_VIOLATION',
      entity: 'employees',
      fields: ['email'],
    });
    expect(connection.log.map((s) => s.slice(0, 8))).toEqual(['BEGIN', 'INSERT I', 'INSERT I', 'ROLLBACK']);
  });

  it('returns rows matched by update and delete, and counts for an empty update', async () => {
    const connection = new ScriptedConnection(postgresDialect, (sql) =>
      sql.startsWith('SELECT COUNT')
        ? { rows: [{ count: 3 }], affectedRows: 0 }
        : { rows: [], affectedRows: 2 },
    );
    const where = { type: 'literal', value: true } as const;
    expect(await connection.update({ entity: Employee, where, set: { salary: 1 } })).toBe(2);
    expect(await connection.update({ entity: Employee, where, set: {} })).toBe(3);
    expect(await connection.delete({ entity: Employee, where })).toBe(2);
  });

  it('quotes savepoint names', async () => {
    const connection = new ScriptedConnection(mysqlDialect);
    await connection.begin();
    await connection.savepoint('sp_1');
    await connection.rollbackToSavepoint('sp_1');
    await connection.releaseSavepoint('sp_1');
    await connection.rollback();
    await connection.ping();
    expect(connection.log).toEqual([
      'START TRANSACTION',
      'SAVEPOINT `sp_1`',
      'ROLLBACK TO SAVEPOINT `sp_1`',
      'RELEASE SAVEPOINT `sp_1`',
      'ROLLBACK',
      'SELECT 1',
    ]);
  });

  it('marks itself broken on a lost connection', async () => {
    const connection = new ScriptedConnection(postgresDialect, () =>
      Object.assign(new Error('gone'), { code: '57P01' }),
    );
    expect(connection.broken).toBe(false);
    await expect(connection.ping()).rejects.toBeInstanceOf(ConnectionLostError);
    expect(connection.broken).toBe(true);
  });

  it('creates the PostgreSQL schema in one locked transaction', async () => {
    const connection = new ScriptedConnection(postgresDialect);
    await connection.ensureSchema([Employee]);
    // The columns are checked (the schema read back) after the tables are made and before any index, so
    // an index on a missing column is named as drift; then, outside the transaction, the whole check
    // reads the schema back again (this script answers no rows).
    const introspection = (s: string) => s.startsWith('SELECT') && s.includes('AS "table"');
    expect(connection.log.slice(3, 7).every(introspection)).toBe(true);
    expect(connection.log.slice(11).every(introspection)).toBe(true);
    expect(connection.log.filter((s) => !introspection(s)).map((s) => s.split(' (')[0])).toEqual([
      'BEGIN',
      `SELECT pg_advisory_xact_lock(${POSTGRES_SCHEMA_LOCK_KEY})`,
      'CREATE TABLE IF NOT EXISTS "employees"',
      'CREATE UNIQUE INDEX IF NOT EXISTS "employees_email_key" ON "employees"',
      'CREATE INDEX IF NOT EXISTS "employees_name_idx" ON "employees"',
      'CREATE UNIQUE INDEX IF NOT EXISTS "employees_name_salary_key" ON "employees"',
      'COMMIT',
    ]);
    expect(connection.knownEntities).toEqual([Employee]);
  });

  it('creates only missing MySQL indexes under the named lock, and releases it on failure', async () => {
    const connection = new ScriptedConnection(mysqlDialect, (sql) => {
      if (sql.startsWith('SELECT GET_LOCK')) return { rows: [{ acquired: 1 }], affectedRows: 0 };
      if (sql.startsWith('SELECT DISTINCT')) {
        return { rows: [{ name: 'PRIMARY' }, { name: 'employees_email_key' }], affectedRows: 0 };
      }
      if (sql.includes('employees_name_salary_key')) return new Error('disk full');
      return { rows: [], affectedRows: 0 };
    });
    await expect(connection.ensureSchema([Employee])).rejects.toBeInstanceOf(DatabaseError);
    // Between the table and the indexes, the columns are checked (the schema read back: no rows here).
    const introspection = (s: string) => s.startsWith('SELECT') && s.includes('AS `table`');
    expect(connection.log.slice(2, 7).every(introspection)).toBe(true);
    expect(connection.log.filter((s) => !introspection(s)).map((s) => s.split(' (')[0])).toEqual([
      'SELECT GET_LOCK(?, ?) AS `acquired`',
      'CREATE TABLE IF NOT EXISTS `employees`',
      expect.stringMatching(/^SELECT DISTINCT INDEX_NAME/),
      'CREATE INDEX `employees_name_idx` ON `employees`',
      'CREATE UNIQUE INDEX `employees_name_salary_key` ON `employees`',
      'SELECT RELEASE_LOCK(?)',
    ]);
  });

  it('gives up when the MySQL schema lock cannot be had', async () => {
    const connection = new ScriptedConnection(mysqlDialect, () => ({
      rows: [{ acquired: 0 }],
      affectedRows: 0,
    }));
    await expect(connection.ensureSchema([Employee])).rejects.toThrow(/schema lock/);
    expect(connection.log).toHaveLength(1);
  });
});
