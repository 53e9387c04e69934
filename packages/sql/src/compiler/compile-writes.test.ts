import { buildInsertRow, type ModifyCommand } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileBoundsCheck, compileGuardedModifyMany } from './compile-guarded-modify-many.js';
import { compileModify } from './compile-modify.js';
import { compileUpdateRows } from './compile-update-rows.js';
import { compilePostgresUpsert } from './compile-upsert.js';

const at = new Date(Date.UTC(2024, 0, 2));
const command: ModifyCommand = {
  entity: Employee,
  where: {
    type: 'and',
    conditions: [
      { type: 'compare', field: 'id', op: 'eq', value: 'id-1' },
      { type: 'compare', field: 'version', op: 'eq', value: 3 },
    ],
  },
  set: { name: 'n' },
  operations: [{ field: 'salary', op: 'increment', by: -5, min: 0, max: 100 }],
  stamp: { updatedAt: at },
  bump: 'version',
  changedOnly: true,
};

describe('compileModify', () => {
  it('PostgreSQL: one UPDATE with the bounds and the change test in its WHERE, returning the row', () => {
    const { sql, params } = compileModify(postgresDialect, command, { returning: true, bounds: true });
    expect(sql).toBe(
      'UPDATE "employees" SET "name" = $1, "updatedAt" = $2, "salary" = ("salary" + $3), "version" = "version" + 1 ' +
        'WHERE ("id" = $4 AND "version" = $5) AND ("salary" + $6) BETWEEN $7 AND $8 ' +
        'AND ("name" IS DISTINCT FROM $9 OR "salary" IS DISTINCT FROM ("salary" + $10)) RETURNING ' +
        Employee.fieldNames.map((name) => `"${name}"`).join(', '),
    );
    expect(params).toEqual(['n', at, -5, 'id-1', 3, -5, 0, 100, 'n', -5]);
  });

  it('MySQL: null-safe comparison, no RETURNING; a multiply; no filter and no bounds when asked', () => {
    const { sql, params } = compileModify(
      mysqlDialect,
      {
        ...command,
        where: { type: 'literal', value: true },
        set: {},
        operations: [{ field: 'rating', op: 'multiply', by: 2 }],
        changedOnly: false,
      },
      { returning: false, bounds: false },
    );
    expect(sql).toBe(
      'UPDATE `employees` SET `updatedAt` = ?, `rating` = (`rating` * ?), `version` = `version` + 1',
    );
    expect(params).toEqual([at, 2]);
    const changed = compileModify(mysqlDialect, command, { returning: false, bounds: false });
    expect(changed.sql).toContain('NOT (`name` <=> ?) OR NOT (`salary` <=> (`salary` + ?))');
  });
});

describe('bounded updateMany', () => {
  it('PostgreSQL: one statement; a CTE locks the targets, the UPDATE runs only if all stay in bounds', () => {
    const { sql, params } = compileGuardedModifyMany(postgresDialect, { ...command, changedOnly: false });
    expect(sql).toBe(
      'WITH "berth_target" AS (SELECT (("salary" + $1) BETWEEN $2 AND $3) AS "inside" ' +
        'FROM "employees" WHERE ("id" = $4 AND "version" = $5) FOR UPDATE), "berth_update" AS (UPDATE "employees" SET ' +
        '"name" = $6, "updatedAt" = $7, "salary" = ("salary" + $8), "version" = "version" + 1 ' +
        'WHERE ("id" = $9 AND "version" = $10) AND NOT EXISTS (SELECT 1 FROM "berth_target" WHERE NOT "inside") RETURNING 1) ' +
        'SELECT (SELECT count(*) FROM "berth_update") AS "modified", (SELECT count(*) FROM "berth_target" WHERE NOT "inside") AS "outside"',
    );
    expect(params).toHaveLength(10);
  });

  it('MySQL: the locking read counts the rows that would leave their bounds', () => {
    const { sql, params } = compileBoundsCheck(mysqlDialect, {
      ...command,
      where: { type: 'literal', value: true },
    });
    expect(sql).toBe(
      'SELECT COALESCE(SUM(CASE WHEN (`salary` + ?) BETWEEN ? AND ? THEN 0 ELSE 1 END), 0) AS `outside` FROM `employees` FOR UPDATE',
    );
    expect(params).toEqual([-5, 0, 100]);
  });

  it('one bound alone is one comparison; both are one BETWEEN, the operation written once', () => {
    const check = (operation: Partial<(typeof command.operations)[number]>) =>
      compileBoundsCheck(mysqlDialect, {
        ...command,
        where: { type: 'literal', value: true },
        operations: [{ field: 'salary', op: 'increment', by: -5, ...operation }],
      });
    expect(check({ min: 0 }).sql).toContain('WHEN (`salary` + ?) >= ? THEN');
    expect(check({ min: 0 }).params).toEqual([-5, 0]);
    expect(check({ max: 100 }).sql).toContain('WHEN (`salary` + ?) <= ? THEN');
    expect(check({ max: 100 }).params).toEqual([-5, 100]);
    expect(check({ min: 0, max: 100 }).sql).toContain('WHEN (`salary` + ?) BETWEEN ? AND ? THEN');
  });
});

describe('upserts', () => {
  const row = (i: number) =>
    buildInsertRow(
      Employee,
      {
        email: `e${i}@x`,
        name: `n${i}`,
        nickname: null,
        salary: i,
        rating: 0,
        active: true,
        hiredAt: at,
        profile: { tags: [] },
      },
      at,
    );

  it('PostgreSQL, one item: ON CONFLICT on the key, the changes bound, the version bumped, xmax says created', () => {
    const item = { insert: row(1), set: { salary: 9 } };
    const { sql, params } = compilePostgresUpsert(
      postgresDialect,
      { entity: Employee, key: ['email'], items: [item], stamp: { updatedAt: at }, bump: 'version' },
      [item],
    );
    expect(sql).toMatch(
      /^INSERT INTO "employees" \(.*\) VALUES \(\$1, .*, \$12\) ON CONFLICT \("email"\) DO UPDATE SET /,
    );
    expect(sql).toContain(
      'DO UPDATE SET "salary" = $13, "updatedAt" = $14, "version" = "employees"."version" + 1 RETURNING ',
    );
    expect(sql).toMatch(/, \(xmax = 0\) AS "berth_created"$/);
    expect(params).toHaveLength(14);
  });

  it('PostgreSQL, several items: each row takes its own values from EXCLUDED; a key-only update still returns the row', () => {
    const items = [row(1), row(2)].map((insert) => ({ insert, set: { salary: insert.salary } }));
    const base = { entity: Employee, key: ['name', 'salary'], items, stamp: {}, bump: undefined };
    expect(compilePostgresUpsert(postgresDialect, base, items).sql).toContain(
      'ON CONFLICT ("name", "salary") DO UPDATE SET "salary" = EXCLUDED."salary" RETURNING',
    );
    const keyOnly = items.map((item) => ({ ...item, set: {} }));
    expect(compilePostgresUpsert(postgresDialect, { ...base, items: keyOnly }, keyOnly).sql).toContain(
      'DO UPDATE SET "name" = EXCLUDED."name" RETURNING',
    );
  });

  it('MySQL: one UPDATE writes each row its own values by id', () => {
    const { sql, params } = compileUpdateRows(mysqlDialect, Employee, [
      { id: 'a', set: { salary: 1, version: 2 } },
      { id: 'b', set: { salary: 5 } },
    ]);
    expect(sql).toBe(
      'UPDATE `employees` SET `salary` = CASE `id` WHEN ? THEN ? WHEN ? THEN ? ELSE `salary` END, ' +
        '`version` = CASE `id` WHEN ? THEN ? ELSE `version` END WHERE `id` IN (?, ?)',
    );
    expect(params).toEqual(['a', 1, 'b', 5, 'a', 2, 'a', 'b']);
  });
});
