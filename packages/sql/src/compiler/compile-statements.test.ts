import type { StoredRow } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileCount } from './compile-count.js';
import { compileDelete } from './compile-delete.js';
import { compileFind } from './compile-find.js';
import { compileInsert, insertChunkSize } from './compile-insert.js';
import { compileUpdate } from './compile-update.js';

const columns =
  '"id", "email", "name", "nickname", "salary", "rating", "active", "hiredAt", "profile", "version", "createdAt", "updatedAt"';
const byId = [{ field: 'id', direction: 'asc' }] as const;

function row(i: number): StoredRow {
  const at = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, i));
  return {
    id: `id-${i}`,
    email: `e${i}@x`,
    name: `n${i}`,
    nickname: null,
    salary: i,
    rating: i / 2,
    active: i % 2 === 0,
    hiredAt: at,
    profile: { tags: [`t${i}`] },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

describe('compileFind', () => {
  it('selects every field, filters, orders, limits and locks', () => {
    const statement = compileFind(postgresDialect, {
      entity: Employee,
      where: { type: 'compare', field: 'salary', op: 'gte', value: 100 },
      orderBy: [{ field: 'name', direction: 'desc' }, ...byId],
      limit: 20,
      forUpdate: true,
    });
    expect(statement).toEqual({
      sql: `SELECT ${columns} FROM "employees" WHERE "salary" >= $1 ORDER BY "name" DESC, "id" ASC LIMIT 20 FOR UPDATE`,
      params: [100],
    });
  });

  it('leaves out what is not asked for', () => {
    const statement = compileFind(mysqlDialect, {
      entity: Employee,
      where: { type: 'literal', value: true },
      orderBy: [],
    });
    expect(statement.sql).toBe(`SELECT ${columns.replaceAll('"', '`')} FROM \`employees\``);
    expect(statement.params).toEqual([]);
  });

  it('validates the limit', () => {
    const base = { entity: Employee, where: { type: 'literal', value: true } as const, orderBy: byId };
    expect(compileFind(mysqlDialect, { ...base, limit: 0 }).sql).toMatch(/ LIMIT 0$/);
    expect(() => compileFind(postgresDialect, { ...base, limit: 1.5 })).toThrow(/invalid limit/);
    expect(() => compileFind(postgresDialect, { ...base, limit: -1 })).toThrow(/invalid limit/);
    expect(() => compileFind(postgresDialect, { ...base, limit: '1; DROP' as unknown as number })).toThrow(
      /invalid limit/,
    );
  });

  it('refuses undeclared sort fields', () => {
    expect(() =>
      compileFind(postgresDialect, {
        entity: Employee,
        where: { type: 'literal', value: true },
        orderBy: [{ field: 'x"y', direction: 'asc' }],
      }),
    ).toThrow(/unknown field/);
  });
});

describe('compileCount', () => {
  it('counts with a filter', () => {
    expect(
      compileCount(postgresDialect, {
        entity: Employee,
        where: { type: 'null', field: 'nickname', isNull: true },
      }),
    ).toEqual({ sql: 'SELECT COUNT(*) AS "count" FROM "employees" WHERE "nickname" IS NULL', params: [] });
    expect(
      compileCount(mysqlDialect, { entity: Employee, where: { type: 'literal', value: true } }).sql,
    ).toBe('SELECT COUNT(*) AS `count` FROM `employees`');
  });
});

describe('compileUpdate', () => {
  it('binds SET values before the WHERE values', () => {
    const when = new Date();
    const statement = compileUpdate(postgresDialect, {
      entity: Employee,
      set: { salary: 5, profile: { tags: [] }, version: 2, updatedAt: when },
      where: {
        type: 'and',
        conditions: [
          { type: 'compare', field: 'id', op: 'eq', value: 'a' },
          { type: 'compare', field: 'version', op: 'eq', value: 1 },
        ],
      },
    });
    expect(statement).toEqual({
      sql: 'UPDATE "employees" SET "salary" = $1, "profile" = $2, "version" = $3, "updatedAt" = $4 WHERE "id" = $5 AND "version" = $6',
      params: [5, '{"tags":[]}', 2, when, 'a', 1],
    });
  });

  it('encodes booleans and nulls for MySQL', () => {
    const statement = compileUpdate(mysqlDialect, {
      entity: Employee,
      set: { active: false, nickname: null },
      where: { type: 'literal', value: true },
    });
    expect(statement).toEqual({
      sql: 'UPDATE `employees` SET `active` = ?, `nickname` = ?',
      params: [0, null],
    });
  });

  it('refuses an empty or unknown SET', () => {
    const where = { type: 'literal', value: true } as const;
    expect(() => compileUpdate(postgresDialect, { entity: Employee, set: {}, where })).toThrow(
      /at least one field/,
    );
    expect(() =>
      compileUpdate(postgresDialect, { entity: Employee, set: { 'x" = 1; --': 1 }, where }),
    ).toThrow(/unknown field/);
  });
});

describe('compileDelete', () => {
  it('deletes with and without a filter', () => {
    expect(
      compileDelete(mysqlDialect, {
        entity: Employee,
        where: { type: 'in', field: 'id', values: ['a', 'b'], negated: false },
      }),
    ).toEqual({ sql: 'DELETE FROM `employees` WHERE `id` IN (?, ?)', params: ['a', 'b'] });
    expect(
      compileDelete(postgresDialect, { entity: Employee, where: { type: 'literal', value: true } }).sql,
    ).toBe('DELETE FROM "employees"');
  });
});

describe('compileInsert', () => {
  it('writes one multi-row statement with encoded values', () => {
    const statements = compileInsert(postgresDialect, { entity: Employee, rows: [row(0), row(1)] });
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement!.sql).toBe(
      `INSERT INTO "employees" (${columns}) VALUES ` +
        '($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12), ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)',
    );
    expect(statement!.params).toHaveLength(24);
    expect(statement!.params.slice(0, 9)).toEqual([
      'id-0',
      'e0@x',
      'n0',
      null,
      0,
      0,
      true,
      row(0).hiredAt,
      '{"tags":["t0"]}',
    ]);
  });

  it('writes booleans as 1/0 and ? placeholders on MySQL', () => {
    const [statement] = compileInsert(mysqlDialect, { entity: Employee, rows: [row(1)] });
    expect(statement!.sql).toMatch(/VALUES \(\?(, \?){11}\)$/);
    expect(statement!.params[6]).toBe(0);
  });

  it('returns no statement for no rows', () => {
    expect(compileInsert(postgresDialect, { entity: Employee, rows: [] })).toEqual([]);
  });

  it('chunks by rows and by parameters', () => {
    expect(insertChunkSize(postgresDialect, 12)).toBe(1000);
    expect(insertChunkSize(postgresDialect, 100)).toBe(655);
    expect(insertChunkSize(postgresDialect, 100_000)).toBe(1);
    expect(insertChunkSize(mysqlDialect, 12, 10)).toBe(10);

    const rows = Array.from({ length: 2501 }, (_, i) => row(i));
    const statements = compileInsert(postgresDialect, { entity: Employee, rows });
    expect(statements.map((s) => s.params.length / 12)).toEqual([1000, 1000, 501]);
    // Placeholders restart in every statement.
    expect(statements[1]!.sql).toContain('VALUES ($1, ');
    expect(statements[2]!.params[0]).toBe('id-2000');

    const small = compileInsert(mysqlDialect, { entity: Employee, rows: rows.slice(0, 25) }, 10);
    expect(small.map((s) => s.params.length / 12)).toEqual([10, 10, 5]);
  });

  it('gives each row count its own text, whether kept or not, call after call', () => {
    // Texts are kept per row count (small counts and a full chunk); a count never gets another's text.
    const text = (dialect: typeof postgresDialect, count: number) =>
      `${dialect === postgresDialect ? '"employees"' : '`employees`'}: ${Array.from(
        { length: count },
        (_, r) => `(${Array.from({ length: 12 }, (_, f) => dialect.placeholder(r * 12 + f + 1)).join(', ')})`,
      ).join(', ')}`;
    const rows = Array.from({ length: 40 }, (_, i) => row(i));
    for (const dialect of [postgresDialect, mysqlDialect]) {
      for (let round = 0; round < 2; round++) {
        for (const count of [1, 2, 16, 17, 40, 3]) {
          const statements = compileInsert(dialect, { entity: Employee, rows: rows.slice(0, count) }, 17);
          const expected = count === 40 ? [17, 17, 6] : [Math.min(count, 17)];
          expect(statements.map((s) => s.params.length / 12)).toEqual(expected);
          statements.forEach((statement, k) => {
            expect(statement.sql.replace(/^INSERT INTO (\S+) \(.*?\) VALUES /, '$1: ')).toBe(
              text(dialect, expected[k]!),
            );
            expect(statement.params[0]).toBe(`id-${k * 17}`);
          });
        }
      }
    }
  });
});
