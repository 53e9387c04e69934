import { MATCH_ALL, type SortKey } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileFind } from './compile-find.js';
import { compileFindCached } from './compile-find-cached.js';

const orderBy: SortKey[] = [
  { field: 'salary', direction: 'desc' },
  { field: 'id', direction: 'asc' },
];
const where = { type: 'in', field: 'name', values: ['a', 'b'], negated: false } as const;

describe('per-group reads (an include limit per parent)', () => {
  it('number the rows per key with ROW_NUMBER() and keep the first n, in order', () => {
    const command = {
      entity: Employee,
      where,
      orderBy,
      select: ['id', 'name'],
      perGroup: { field: 'name', limit: 3 },
    };
    expect(compileFind(postgresDialect, command)).toEqual({
      sql:
        'SELECT "id", "name" FROM (SELECT "id", "name", ROW_NUMBER() OVER (PARTITION BY "name" ORDER BY "salary" DESC, "id" ASC) AS "berth_row_number" ' +
        'FROM "employees" WHERE "name" = ANY($1)) "berth_numbered" WHERE "berth_row_number" <= 3 ORDER BY "salary" DESC, "id" ASC',
      params: [['a', 'b']],
    });
    expect(compileFind(mysqlDialect, command).sql).toContain(
      'ROW_NUMBER() OVER (PARTITION BY `name` ORDER BY',
    );
    // Never served from a cached plain read of the same shape.
    const plain = { entity: Employee, where, orderBy, select: ['id', 'name'] };
    compileFindCached(postgresDialect, plain);
    compileFindCached(postgresDialect, plain);
    expect(compileFindCached(postgresDialect, command)).toEqual(compileFind(postgresDialect, command));
  });

  it('a many-to-many read joins the links, numbers per parent key, and binds the keys before the filter', () => {
    // Employee stands in for both sides: the join's fromKey is `name`, its toKey `id`.
    const command = {
      entity: Employee,
      where: { type: 'compare', field: 'salary', op: 'gt', value: 5 } as const,
      orderBy,
      through: { entity: Employee, fromKey: 'name', toKey: 'id', keys: ['k1', 'k2'], limit: 2 },
    };
    const { sql, params } = compileFind(mysqlDialect, command);
    expect(sql).toContain(
      'JOIN (SELECT `name` AS `berth_parent`, `id` AS `berth_target` FROM `employees` WHERE `name` IN (?, ?)) `berth_links` ON `berth_links`.`berth_target` = `employees`.`id` WHERE `salary` > ?',
    );
    expect(sql).toContain(
      'ROW_NUMBER() OVER (PARTITION BY `berth_links`.`berth_parent` ORDER BY `salary` DESC',
    );
    expect(sql).toMatch(/WHERE `berth_row_number` <= 2 ORDER BY `salary` DESC, `id` ASC$/);
    expect(params).toEqual(['k1', 'k2', 5]);
    expect(compileFindCached(postgresDialect, command)).toEqual(compileFind(postgresDialect, command));
    expect(() =>
      compileFind(postgresDialect, { ...command, through: { ...command.through, limit: 0 } }),
    ).toThrow(/per-group limit/);
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const limit of [0, -1, 1.5, Number.NaN])
      expect(() =>
        compileFind(postgresDialect, {
          entity: Employee,
          where: MATCH_ALL,
          orderBy,
          perGroup: { field: 'name', limit },
        }),
      ).toThrow(/per-group limit/);
  });
});
