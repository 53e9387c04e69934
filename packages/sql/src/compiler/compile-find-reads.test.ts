import type { FindCommand, RowLock } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileFind } from './compile-find.js';

const base: FindCommand = {
  entity: Employee,
  where: { type: 'literal', value: true },
  orderBy: [{ field: 'id', direction: 'asc' }],
};

describe('compileFind: projections', () => {
  it('selects only the requested columns', () => {
    expect(compileFind(postgresDialect, { ...base, select: ['id', 'name'] }).sql).toBe(
      'SELECT "id", "name" FROM "employees" ORDER BY "id" ASC',
    );
    expect(compileFind(mysqlDialect, { ...base, select: ['salary'], limit: 3 }).sql).toBe(
      'SELECT `salary` FROM `employees` ORDER BY `id` ASC LIMIT 3',
    );
  });

  it('refuses a column that is not a field', () => {
    expect(() => compileFind(postgresDialect, { ...base, select: ['nope'] })).toThrow(/unknown field/);
  });
});

describe('compileFind: locking reads', () => {
  const lock = (mode: RowLock['mode'], onLocked: RowLock['onLocked']): FindCommand => ({
    ...base,
    lock: { mode, onLocked },
  });

  it('writes FOR UPDATE / FOR SHARE with NOWAIT or SKIP LOCKED on PostgreSQL', () => {
    expect(compileFind(postgresDialect, lock('forUpdate', 'wait')).sql).toMatch(/ASC FOR UPDATE$/);
    expect(compileFind(postgresDialect, lock('forShare', 'noWait')).sql).toMatch(/ASC FOR SHARE NOWAIT$/);
    expect(compileFind(postgresDialect, lock('forUpdate', 'skipLocked')).sql).toMatch(
      /ASC FOR UPDATE SKIP LOCKED$/,
    );
  });

  it('writes LOCK IN SHARE MODE for shared locks on MySQL/MariaDB', () => {
    expect(compileFind(mysqlDialect, { ...lock('forShare', 'skipLocked'), limit: 2 }).sql).toMatch(
      /LIMIT 2 LOCK IN SHARE MODE SKIP LOCKED$/,
    );
    expect(compileFind(mysqlDialect, lock('forUpdate', 'noWait')).sql).toMatch(/FOR UPDATE NOWAIT$/);
  });

  it('still honours the older forUpdate flag, and writes nothing without a lock', () => {
    expect(compileFind(postgresDialect, { ...base, forUpdate: true }).sql).toMatch(/ASC FOR UPDATE$/);
    expect(compileFind(postgresDialect, base).sql).toMatch(/ASC$/);
  });
});
