import { describe, expect, expectTypeOf, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import type { Database } from '../database.js';
import { type SqlFragment, type SqlIdentifier, sql } from './sql-fragment.js';

describe('sql tag', () => {
  it('keeps text and values apart: values never reach the text', () => {
    const id = '1; DROP TABLE x';
    const fragment = sql`select * from t where id = ${id} and n > ${2}`;
    expect(fragment.parts).toEqual([
      { kind: 'text', text: 'select * from t where id = ' },
      { kind: 'value', value: id },
      { kind: 'text', text: ' and n > ' },
      { kind: 'value', value: 2 },
    ]);
    expect(fragment.parameterCount).toBe(2);
  });

  it('inlines nested fragments and identifiers, keeping their values bound', () => {
    const where = sql`a = ${1}`;
    const fragment = sql`select ${sql.id('s', 't')} from x where ${where} and b = ${'v'}`;
    expect(fragment.parts).toEqual([
      { kind: 'text', text: 'select ' },
      { kind: 'identifier', names: ['s', 't'] },
      { kind: 'text', text: ' from x where ' },
      { kind: 'text', text: 'a = ' },
      { kind: 'value', value: 1 },
      { kind: 'text', text: ' and b = ' },
      { kind: 'value', value: 'v' },
    ]);
  });

  it('join separates items with a comma by default, or the separator given', () => {
    expect(sql.join([1, sql.id('c')]).parts).toEqual([
      { kind: 'value', value: 1 },
      { kind: 'text', text: ', ' },
      { kind: 'identifier', names: ['c'] },
    ]);
    expect(
      sql.join([sql`a`, sql`b`], sql` AND `).parts.map((p) => (p.kind === 'text' ? p.text : '?')),
    ).toEqual(['a', ' AND ', 'b']);
    expect(() => sql.join([])).toThrow(ValidationError);
  });

  it('id refuses no name, empty names, NUL and overlong names, and keeps hostile ones whole', () => {
    expect(() => sql.id()).toThrow(ValidationError);
    expect(() => sql.id('')).toThrow(ValidationError);
    expect(() => sql.id('a\0b')).toThrow(ValidationError);
    expect(() => sql.id('x'.repeat(129))).toThrow(ValidationError);
    expect(() => sql.id(42 as unknown as string)).toThrow(ValidationError);
    expect(sql.id('a"; drop table t; --').names).toEqual(['a"; drop table t; --']);
  });

  it('refuses to be called as a plain function with a string (that would splice it)', () => {
    expect(() => (sql as unknown as (s: string) => unknown)('select 1')).toThrow(ValidationError);
  });

  it('fragments and identifiers are immutable', () => {
    const fragment = sql`a ${1}`;
    expect(Object.isFrozen(fragment.parts)).toBe(true);
    expect(Object.isFrozen(sql.id('a').names)).toBe(true);
  });

  it('types: db.sql infers its rows, db.execute a count, and only templates or fragments compile', () => {
    expectTypeOf(sql`x`).toEqualTypeOf<SqlFragment>();
    expectTypeOf(sql.id('x')).toEqualTypeOf<SqlIdentifier>();
    type Sql = Database['sql'];
    type Execute = Database['execute'];
    const run = (s: Sql, e: Execute) => {
      expectTypeOf(s<{ id: string }>`select id from t`).toEqualTypeOf<Promise<{ id: string }[]>>();
      expectTypeOf(s`select 1`).toEqualTypeOf<Promise<Record<string, unknown>[]>>();
      expectTypeOf(s<{ n: number }>(sql`select 1 as n`)).toEqualTypeOf<Promise<{ n: number }[]>>();
      expectTypeOf(e`delete from t`).toEqualTypeOf<Promise<number>>();
      // @ts-expect-error a plain string would be spliced SQL: only templates and fragments are accepted
      s('select 1');
      // @ts-expect-error same for execute
      e('delete from t');
      // @ts-expect-error sql.id takes strings
      s.id(1);
    };
    expect(typeof run).toBe('function');
  });
});
