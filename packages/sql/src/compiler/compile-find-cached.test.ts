import type { Condition, FindCommand } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileFind } from './compile-find.js';
import { compileFindCached } from './compile-find-cached.js';
import { SHAPES_PER_ENTITY } from './shape-cache.js';

const at = new Date('2024-05-01T10:00:00.000Z');

/** Pairs of conditions with one shape and different values; the cache must answer the second from the first. */
const SHAPES: Array<[string, (v: number) => Condition]> = [
  ['compare', (v) => ({ type: 'compare', field: 'id', op: 'eq', value: `id-${v}` })],
  [
    'keyset page',
    (v) => ({
      type: 'and',
      conditions: [
        { type: 'compare', field: 'name', op: 'eq', value: `dept-${v}` },
        { type: 'compare', field: 'active', op: 'eq', value: v % 2 === 0 },
        {
          type: 'or',
          conditions: [
            { type: 'compare', field: 'salary', op: 'lt', value: v },
            {
              type: 'and',
              conditions: [
                { type: 'compare', field: 'salary', op: 'eq', value: v },
                { type: 'compare', field: 'id', op: 'gt', value: `id-${v}` },
              ],
            },
          ],
        },
      ],
    }),
  ],
  ['in', (v) => ({ type: 'in', field: 'salary', values: [v, v + 1, v + 2], negated: v % 2 === 0 })],
  ['empty in', (v) => ({ type: 'in', field: 'salary', values: [], negated: v > 0 })],
  ['like', (v) => ({ type: 'like', field: 'name', mode: 'contains', value: `a%_\\${v}` })],
  [
    'case-insensitive like',
    (v) => ({ type: 'like', field: 'name', mode: 'startsWith', value: `Ab.${v}`, caseInsensitive: true }),
  ],
  ['null', () => ({ type: 'null', field: 'nickname', isNull: true })],
  [
    'not',
    (v) => ({
      type: 'not',
      condition: { type: 'compare', field: 'hiredAt', op: 'gte', value: new Date(at.getTime() + v) },
    }),
  ],
  ['json', (v) => ({ type: 'compare', field: 'profile', op: 'eq', value: JSON.stringify({ v }) })],
  ['literal', () => ({ type: 'literal', value: true })],
  ['empty or', () => ({ type: 'or', conditions: [] })],
];

describe('compileFindCached answers exactly as compileFind, from the cache on a repeated shape', () => {
  for (const dialect of [postgresDialect, mysqlDialect]) {
    for (const [name, make] of SHAPES) {
      it(`${name} (${dialect === postgresDialect ? 'PostgreSQL' : 'MySQL'})`, () => {
        for (const v of [1, 2, 3]) {
          const command: FindCommand = {
            entity: Employee,
            where: make(v),
            orderBy: [
              { field: 'salary', direction: 'desc' },
              { field: 'id', direction: 'asc' },
            ],
            limit: 21,
          };
          expect(compileFindCached(dialect, command)).toEqual(compileFind(dialect, command));
        }
      });
    }
  }

  it('keys on the projection, order, limit and lock, not only the filter', () => {
    const where: Condition = { type: 'compare', field: 'id', op: 'eq', value: 'x' };
    const variants: FindCommand[] = [
      { entity: Employee, where, orderBy: [{ field: 'id', direction: 'asc' }], limit: 1 },
      { entity: Employee, where, orderBy: [{ field: 'id', direction: 'desc' }], limit: 1 },
      { entity: Employee, where, orderBy: [{ field: 'id', direction: 'asc' }], limit: 2 },
      { entity: Employee, where, orderBy: [{ field: 'id', direction: 'asc' }] },
      { entity: Employee, where, orderBy: [{ field: 'id', direction: 'asc' }], select: ['id', 'name'] },
      { entity: Employee, where, orderBy: [{ field: 'id', direction: 'asc' }], select: ['name', 'id'] },
      {
        entity: Employee,
        where,
        orderBy: [{ field: 'id', direction: 'asc' }],
        lock: { mode: 'forUpdate', onLocked: 'noWait' },
      },
      { entity: Employee, where, orderBy: [{ field: 'id', direction: 'asc' }], forUpdate: true },
    ];
    for (let round = 0; round < 2; round++) {
      for (const command of variants) {
        expect(compileFindCached(postgresDialect, command)).toEqual(compileFind(postgresDialect, command));
      }
    }
  });

  it('never serves what the compiler refuses: an undeclared field or a bad limit still throws', () => {
    const ok: FindCommand = {
      entity: Employee,
      where: { type: 'compare', field: 'id', op: 'eq', value: 'x' },
      orderBy: [{ field: 'id', direction: 'asc' }],
      limit: 1,
    };
    compileFindCached(postgresDialect, ok);
    expect(() =>
      compileFindCached(postgresDialect, {
        ...ok,
        where: { type: 'compare', field: 'nope', op: 'eq', value: 'x' },
      }),
    ).toThrow(/unknown field/);
    expect(() => compileFindCached(postgresDialect, { ...ok, select: ['nope'] })).toThrow(/unknown field/);
    expect(() => compileFindCached(postgresDialect, { ...ok, limit: -1 })).toThrow(/invalid limit/);
    const tooMany: FindCommand = {
      ...ok,
      where: {
        type: 'in',
        field: 'salary',
        values: Array.from({ length: mysqlDialect.maxParameters + 1 }, (_, i) => i),
        negated: false,
      },
    };
    // MySQL binds one parameter per value (PostgreSQL one array: no limit to reach).
    expect(() => compileFindCached(mysqlDialect, tooMany)).toThrow(/bound values/);
  });

  it('stays bounded: past SHAPES_PER_ENTITY shapes the oldest are dropped, answers stay right', () => {
    for (let n = 1; n <= SHAPES_PER_ENTITY + 20; n++) {
      const command: FindCommand = {
        entity: Employee,
        where: {
          type: 'in',
          field: 'salary',
          values: Array.from({ length: n }, (_, i) => i),
          negated: false,
        },
        orderBy: [],
      };
      expect(compileFindCached(mysqlDialect, command)).toEqual(compileFind(mysqlDialect, command));
    }
    const first: FindCommand = {
      entity: Employee,
      where: { type: 'in', field: 'salary', values: [7], negated: false },
      orderBy: [],
    };
    expect(compileFindCached(mysqlDialect, first)).toEqual(compileFind(mysqlDialect, first));
  });
});
