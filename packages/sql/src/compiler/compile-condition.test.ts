import type { Condition } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileCondition, whereClause } from './compile-condition.js';
import { ParameterList } from './parameter-list.js';

function compile(dialect: SqlDialect, condition: Condition) {
  const params = new ParameterList(dialect);
  const sql = compileCondition(dialect, Employee, condition, params);
  return { sql, params: params.values() };
}

const pg = (c: Condition) => compile(postgresDialect, c);
const my = (c: Condition) => compile(mysqlDialect, c);

describe('compare', () => {
  it.each([
    ['eq', '='],
    ['ne', '<>'],
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
  ] as const)('%s compiles to %s', (op, sql) => {
    const c: Condition = { type: 'compare', field: 'salary', op, value: 10 };
    expect(pg(c)).toEqual({ sql: `"salary" ${sql} $1`, params: [10] });
    expect(my(c)).toEqual({ sql: `\`salary\` ${sql} ?`, params: [10] });
  });

  it('encodes booleans per dialect and keeps dates as dates', () => {
    const active: Condition = { type: 'compare', field: 'active', op: 'eq', value: true };
    expect(pg(active).params).toEqual([true]);
    expect(my(active).params).toEqual([1]);
    const when = new Date('2024-05-06T07:08:09.123Z');
    expect(pg({ type: 'compare', field: 'hiredAt', op: 'lt', value: when }).params).toEqual([when]);
  });
});

describe('in', () => {
  it('binds every value: one parameter each on MySQL, one array on PostgreSQL (one text for every length)', () => {
    const c: Condition = { type: 'in', field: 'name', values: ['a', 'b', 'c'], negated: false };
    expect(pg(c)).toEqual({ sql: '"name" = ANY($1)', params: [['a', 'b', 'c']] });
    expect(pg({ ...c, values: ['a'] }).sql).toBe('"name" = ANY($1)');
    expect(pg({ ...c, negated: true })).toEqual({ sql: '"name" <> ALL($1)', params: [['a', 'b', 'c']] });
    expect(my(c)).toEqual({ sql: '`name` IN (?, ?, ?)', params: ['a', 'b', 'c'] });
  });

  it('negates', () => {
    const c: Condition = { type: 'in', field: 'active', values: [false], negated: true };
    expect(pg(c)).toEqual({ sql: '"active" NOT IN ($1)', params: [false] });
    expect(my(c)).toEqual({ sql: '`active` NOT IN (?)', params: [0] });
  });

  it('folds empty lists to constants', () => {
    expect(pg({ type: 'in', field: 'name', values: [], negated: false })).toEqual({
      sql: 'FALSE',
      params: [],
    });
    expect(pg({ type: 'in', field: 'name', values: [], negated: true })).toEqual({ sql: 'TRUE', params: [] });
    expect(my({ type: 'in', field: 'name', values: [], negated: false })).toEqual({ sql: '1=0', params: [] });
    expect(my({ type: 'in', field: 'name', values: [], negated: true })).toEqual({ sql: '1=1', params: [] });
  });
});

describe('like', () => {
  it('compiles contains and startsWith with an explicit escape character', () => {
    expect(pg({ type: 'like', field: 'name', mode: 'contains', value: 'ann' })).toEqual({
      sql: `"name" LIKE $1 ESCAPE '!'`,
      params: ['%ann%'],
    });
    expect(my({ type: 'like', field: 'name', mode: 'startsWith', value: 'ann' })).toEqual({
      sql: "`name` LIKE ? ESCAPE '!'",
      params: ['ann%'],
    });
  });

  it('escapes wildcards and the escape character, and leaves backslashes alone', () => {
    expect(pg({ type: 'like', field: 'name', mode: 'contains', value: '50%_off!\\' }).params).toEqual([
      '%50!%!_off!!\\%',
    ]);
  });
});

describe('null', () => {
  it('compiles IS NULL and IS NOT NULL', () => {
    expect(pg({ type: 'null', field: 'nickname', isNull: true })).toEqual({
      sql: '"nickname" IS NULL',
      params: [],
    });
    expect(my({ type: 'null', field: 'nickname', isNull: false })).toEqual({
      sql: '`nickname` IS NOT NULL',
      params: [],
    });
  });
});

describe('and, or, not, literal', () => {
  const a: Condition = { type: 'compare', field: 'salary', op: 'gt', value: 1 };
  const b: Condition = { type: 'compare', field: 'name', op: 'eq', value: 'x' };
  const c: Condition = { type: 'null', field: 'nickname', isNull: true };

  it('parenthesizes nested groups and numbers placeholders in order', () => {
    const condition: Condition = { type: 'and', conditions: [a, { type: 'or', conditions: [b, c] }] };
    expect(pg(condition)).toEqual({
      sql: '"salary" > $1 AND ("name" = $2 OR "nickname" IS NULL)',
      params: [1, 'x'],
    });
    expect(my({ type: 'or', conditions: [{ type: 'and', conditions: [a, b] }, c] })).toEqual({
      sql: '(`salary` > ? AND `name` = ?) OR `nickname` IS NULL',
      params: [1, 'x'],
    });
  });

  it('translates not literally', () => {
    expect(pg({ type: 'not', condition: { type: 'or', conditions: [a, b] } })).toEqual({
      sql: 'NOT ("salary" > $1 OR "name" = $2)',
      params: [1, 'x'],
    });
    expect(my({ type: 'not', condition: a }).sql).toBe('NOT (`salary` > ?)');
  });

  it('compiles literals and empty groups', () => {
    expect(pg({ type: 'literal', value: false }).sql).toBe('FALSE');
    expect(my({ type: 'literal', value: true }).sql).toBe('1=1');
    expect(pg({ type: 'and', conditions: [] }).sql).toBe('TRUE');
    expect(my({ type: 'or', conditions: [] }).sql).toBe('1=0');
  });

  it('refuses undeclared fields', () => {
    expect(() => pg({ type: 'compare', field: 'nope"', op: 'eq', value: 1 })).toThrow(/unknown field/);
    expect(() => pg({ type: 'null', field: 'constructor', isNull: true })).toThrow(/unknown field/);
  });
});

describe('whereClause', () => {
  it('omits WHERE for a condition matching every row', () => {
    const params = new ParameterList(postgresDialect);
    expect(whereClause(postgresDialect, Employee, { type: 'literal', value: true }, params)).toBe('');
    expect(whereClause(postgresDialect, Employee, { type: 'literal', value: false }, params)).toBe(
      ' WHERE FALSE',
    );
  });
});

describe('ParameterList', () => {
  it('refuses statements over the parameter limit', () => {
    const values = Array.from({ length: 65_536 }, (_, i) => `v${i}`);
    expect(() => my({ type: 'in', field: 'name', values, negated: false })).toThrow(/at most 65535/);
    // PostgreSQL binds the list as one array: no limit to reach.
    expect(pg({ type: 'in', field: 'name', values, negated: false }).params).toHaveLength(1);
  });
});
