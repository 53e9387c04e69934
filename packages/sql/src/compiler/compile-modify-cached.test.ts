import type { ModifyCommand } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileModify } from './compile-modify.js';
import { compileModifyCached } from './compile-modify-cached.js';

const at = (v: number) => new Date(Date.UTC(2024, 0, 1) + v);

/** Commands of one shape with different values; the second and third must come from the cache. */
const SHAPES: Array<[string, (v: number) => ModifyCommand]> = [
  [
    'versioned update by id',
    (v) => ({
      entity: Employee,
      where: {
        type: 'and',
        conditions: [
          { type: 'compare', field: 'id', op: 'eq', value: `id-${v}` },
          { type: 'compare', field: 'version', op: 'eq', value: v },
        ],
      },
      set: { salary: v, profile: { tags: [`t${v}`] }, active: v % 2 === 0 },
      operations: [],
      stamp: { updatedAt: at(v) },
      bump: 'version',
      changedOnly: true,
    }),
  ],
  [
    'bounded operations',
    (v) => ({
      entity: Employee,
      where: { type: 'compare', field: 'id', op: 'eq', value: `id-${v}` },
      set: {},
      operations: [
        { field: 'salary', op: 'increment', by: v, min: 0, max: 1_000 + v },
        { field: 'rating', op: 'multiply', by: v / 2 },
      ],
      stamp: { updatedAt: at(v) },
      bump: 'version',
      changedOnly: v > 0,
    }),
  ],
  [
    'a stamp that is also set',
    (v) => ({
      entity: Employee,
      where: { type: 'literal', value: true },
      set: { updatedAt: at(-v), name: `n${v}` },
      operations: [],
      stamp: { updatedAt: at(v) },
    }),
  ],
];

describe('compileModifyCached answers exactly as compileModify, from the cache on a repeated shape', () => {
  for (const dialect of [postgresDialect, mysqlDialect]) {
    for (const [name, make] of SHAPES) {
      for (const options of [
        { returning: dialect.supportsReturning, bounds: true },
        { returning: false, bounds: false },
      ]) {
        it(`${name} (${dialect === postgresDialect ? 'PostgreSQL' : 'MySQL'}, ${JSON.stringify(options)})`, () => {
          for (const v of [1, 2, 3]) {
            const command = make(v);
            expect(compileModifyCached(dialect, command, options)).toEqual(
              compileModify(dialect, command, options),
            );
          }
        });
      }
    }
  }

  it('tells shapes apart by the fields set, not only their count', () => {
    const base = SHAPES[0]![1](1);
    const variants: ModifyCommand[] = [
      { ...base, set: { salary: 1 } },
      { ...base, set: { rating: 1 } },
      { ...base, set: { salary: 1 }, changedOnly: false },
      { ...base, set: { salary: 1 }, bump: undefined },
    ];
    for (let round = 0; round < 2; round++) {
      for (const command of variants) {
        const options = { returning: true, bounds: true };
        expect(compileModifyCached(postgresDialect, command, options)).toEqual(
          compileModify(postgresDialect, command, options),
        );
      }
    }
  });

  it('never serves what the compiler refuses: an undeclared field still throws', () => {
    const base = SHAPES[0]![1](1);
    const options = { returning: true, bounds: true };
    compileModifyCached(postgresDialect, base, options);
    expect(() => compileModifyCached(postgresDialect, { ...base, set: { nope: 1 } }, options)).toThrow(
      /unknown field/,
    );
  });
});
