import type { Condition, DeleteCommand, UpdateCommand } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileDelete } from './compile-delete.js';
import { compileDeleteCached } from './compile-delete-cached.js';
import { compileUpdate } from './compile-update.js';
import { compileUpdateCached } from './compile-update-cached.js';

const at = (v: number) => new Date(Date.UTC(2024, 0, 1) + v);
const versioned = (v: number): Condition => ({
  type: 'and',
  conditions: [
    { type: 'compare', field: 'id', op: 'eq', value: `id-${v}` },
    { type: 'compare', field: 'version', op: 'eq', value: v },
  ],
});

/** Commands of one shape with different values: the second and third come from the cache. */
const UPDATES: Array<[string, (v: number) => UpdateCommand]> = [
  [
    "a unit of work's versioned update",
    (v) => ({
      entity: Employee,
      where: versioned(v),
      set: { salary: v, profile: { tags: [`t${v}`] }, active: v % 2 === 0, version: v + 1, updatedAt: at(v) },
    }),
  ],
  [
    'a list filter',
    (v) => ({
      entity: Employee,
      where: {
        type: 'in',
        field: 'id',
        values: Array.from({ length: v }, (_, k) => `id-${k}`),
        negated: false,
      },
      set: { name: `n${v}` },
    }),
  ],
];

const DELETES: Array<[string, (v: number) => DeleteCommand]> = [
  ['a versioned delete by id', (v) => ({ entity: Employee, where: versioned(v) })],
  [
    'a chunk of versioned deletes',
    (v) => ({ entity: Employee, where: { type: 'or', conditions: [versioned(v), versioned(v + 1)] } }),
  ],
  ['every row', () => ({ entity: Employee, where: { type: 'literal', value: true } })],
];

describe('compileUpdateCached and compileDeleteCached answer exactly as the full compile', () => {
  for (const dialect of [postgresDialect, mysqlDialect]) {
    const backend = dialect === postgresDialect ? 'PostgreSQL' : 'MySQL';
    for (const [name, make] of UPDATES)
      it(`update: ${name} (${backend})`, () => {
        for (const v of [1, 2, 3, 2]) {
          const command = make(v);
          expect(compileUpdateCached(dialect, command)).toEqual(compileUpdate(dialect, command));
        }
      });
    for (const [name, make] of DELETES)
      it(`delete: ${name} (${backend})`, () => {
        for (const v of [1, 2, 3]) {
          const command = make(v);
          expect(compileDeleteCached(dialect, command)).toEqual(compileDelete(dialect, command));
        }
      });
  }

  it('tells update shapes apart by the fields set and their order', () => {
    const where = versioned(1);
    const variants: UpdateCommand[] = [
      { entity: Employee, where, set: { salary: 1 } },
      { entity: Employee, where, set: { rating: 1 } },
      { entity: Employee, where, set: { salary: 1, rating: 2 } },
      { entity: Employee, where, set: { rating: 2, salary: 1 } },
      { entity: Employee, where: { type: 'compare', field: 'id', op: 'eq', value: 'x' }, set: { salary: 1 } },
    ];
    for (let round = 0; round < 2; round++)
      for (const command of variants)
        expect(compileUpdateCached(postgresDialect, command)).toEqual(
          compileUpdate(postgresDialect, command),
        );
  });

  it('never serves what the compiler refuses: an undeclared field or an empty SET still throws', () => {
    const where = versioned(1);
    compileUpdateCached(postgresDialect, { entity: Employee, where, set: { salary: 1 } });
    expect(() => compileUpdateCached(postgresDialect, { entity: Employee, where, set: { nope: 1 } })).toThrow(
      /unknown field/,
    );
    expect(() => compileUpdateCached(postgresDialect, { entity: Employee, where, set: {} })).toThrow(
      /at least one field/,
    );
    compileDeleteCached(postgresDialect, { entity: Employee, where });
    const unknown: Condition = { type: 'compare', field: 'nope', op: 'eq', value: 1 };
    expect(() => compileDeleteCached(postgresDialect, { entity: Employee, where: unknown })).toThrow(
      /unknown field/,
    );
  });
});
