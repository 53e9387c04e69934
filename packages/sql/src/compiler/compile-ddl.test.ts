import { defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileCreateIndexes, compileListIndexes, indexName } from './compile-create-indexes.js';
import { compileCreateTable } from './compile-create-table.js';

const Tag = defineEntity('tags', { id: field.id(), label: field.string({ max: 40 }).nullable() });

describe('compileCreateTable', () => {
  it('creates a PostgreSQL table with NOT NULL columns and the primary key on id', () => {
    expect(compileCreateTable(postgresDialect, Tag)).toEqual({
      sql:
        'CREATE TABLE IF NOT EXISTS "tags" ("id" varchar(36) COLLATE "C" NOT NULL, ' +
        '"label" varchar(40) COLLATE "C", PRIMARY KEY ("id"))',
      params: [],
    });
  });

  it('creates an InnoDB utf8mb4 table on MySQL', () => {
    expect(compileCreateTable(mysqlDialect, Tag).sql).toBe(
      'CREATE TABLE IF NOT EXISTS `tags` (`id` varchar(36) COLLATE utf8mb4_bin NOT NULL, ' +
        '`label` varchar(40) COLLATE utf8mb4_bin, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
  });

  it('lists every field', () => {
    const { sql } = compileCreateTable(postgresDialect, Employee);
    expect(sql).toContain('"salary" bigint NOT NULL');
    expect(sql).toContain('"nickname" varchar(255) COLLATE "C",');
    expect(sql).toContain('"profile" jsonb NOT NULL');
    expect(sql).toContain('"version" integer NOT NULL');
    expect(sql).toContain('"updatedAt" timestamptz(3) NOT NULL');
  });
});

describe('compileCreateIndexes', () => {
  it('creates unique and plain indexes under their deterministic names', () => {
    expect(compileCreateIndexes(postgresDialect, Employee).map((s) => s.sql)).toEqual([
      'CREATE UNIQUE INDEX IF NOT EXISTS "employees_email_key" ON "employees" ("email")',
      'CREATE INDEX IF NOT EXISTS "employees_name_idx" ON "employees" ("name")',
      'CREATE UNIQUE INDEX IF NOT EXISTS "employees_name_salary_key" ON "employees" ("name", "salary")',
    ]);
  });

  it('skips existing indexes on MySQL, which lacks IF NOT EXISTS', () => {
    expect(
      compileCreateIndexes(mysqlDialect, Employee, ['PRIMARY', 'EMPLOYEES_EMAIL_KEY']).map((s) => s.sql),
    ).toEqual([
      'CREATE INDEX `employees_name_idx` ON `employees` (`name`)',
      'CREATE UNIQUE INDEX `employees_name_salary_key` ON `employees` (`name`, `salary`)',
    ]);
  });

  it('shortens index names past the identifier limit', () => {
    const long = defineEntity(`t${'x'.repeat(50)}`, {
      id: field.id(),
      [`f${'y'.repeat(20)}`]: field.string().unique(),
    });
    const index = long.indexes[0]!;
    expect(index.name.length).toBeGreaterThan(64);
    expect(indexName(postgresDialect, index)).toHaveLength(63);
    expect(indexName(mysqlDialect, index)).toHaveLength(64);
    expect(compileCreateIndexes(postgresDialect, long)[0]!.sql).toContain(
      `"${indexName(postgresDialect, index)}"`,
    );
  });

  it('lists a table’s indexes with the table name bound', () => {
    expect(compileListIndexes(mysqlDialect, Employee)).toEqual({
      sql: 'SELECT DISTINCT INDEX_NAME AS `name` FROM information_schema.statistics WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
      params: ['employees'],
    });
    expect(compileListIndexes(postgresDialect, Employee).params).toEqual(['employees']);
  });
});
