import type { Condition } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { caseInsensitivePattern } from './case-insensitive-pattern.js';
import { compileCondition } from './compile-condition.js';
import { ParameterList } from './parameter-list.js';

function compile(dialect: SqlDialect, condition: Condition) {
  const params = new ParameterList(dialect);
  const sql = compileCondition(dialect, Employee, condition, params);
  return { sql, params: params.values() };
}

describe('caseInsensitivePattern', () => {
  it('spells both cases of ASCII letters and keeps everything else literal', () => {
    expect(caseInsensitivePattern(postgresDialect, 'contains', 'Ab1')).toBe('[aA][bB]1');
    expect(caseInsensitivePattern(postgresDialect, 'contains', 'Éß é')).toBe('Éß é');
  });

  it('escapes regular-expression syntax', () => {
    expect(caseInsensitivePattern(postgresDialect, 'contains', '.*+?^$()[]{}|\\')).toBe(
      '\\.\\*\\+\\?\\^\\$\\(\\)\\[\\]\\{\\}\\|\\\\',
    );
    expect(caseInsensitivePattern(postgresDialect, 'contains', '%_!')).toBe('%_!');
  });

  it('anchors startsWith and endsWith, with the dialect end anchor', () => {
    expect(caseInsensitivePattern(postgresDialect, 'startsWith', 'a')).toBe('^[aA]');
    expect(caseInsensitivePattern(postgresDialect, 'endsWith', 'a')).toBe('[aA]$');
    expect(caseInsensitivePattern(mysqlDialect, 'endsWith', 'a')).toBe('[aA]\\z');
  });
});

describe('compileCondition: endsWith and case-insensitive likes', () => {
  it('compiles endsWith as LIKE %x', () => {
    expect(compile(postgresDialect, { type: 'like', field: 'name', mode: 'endsWith', value: 'a%' })).toEqual({
      sql: `"name" LIKE $1 ESCAPE '!'`,
      params: ['%a!%'],
    });
  });

  it('compiles a case-insensitive like to a bound regular expression', () => {
    const c: Condition = {
      type: 'like',
      field: 'name',
      mode: 'startsWith',
      value: 'Ad',
      caseInsensitive: true,
    };
    expect(compile(postgresDialect, c)).toEqual({ sql: '"name" ~ $1', params: ['^[aA][dD]'] });
    expect(compile(mysqlDialect, c)).toEqual({ sql: '`name` REGEXP ?', params: ['^[aA][dD]'] });
  });
});
