import { defineEntity, field, type FindCommand } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { Employee } from '../../test/fixtures.js';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { compileFind } from './compile-find.js';
import { isPlainReadById } from './compile-find-by-id.js';
import { compileFindCached } from './compile-find-cached.js';

const Counter = defineEntity('counters', { id: field.id({ strategy: 'increment' }), n: field.integer() });

function byId(entity: FindCommand['entity'], value: unknown): FindCommand {
  return {
    entity,
    where: { type: 'compare', field: 'id', op: 'eq', value: value as string },
    orderBy: [{ field: 'id', direction: 'asc' }],
    limit: 1,
  };
}

describe('the plain read by id', () => {
  it('is recognized only without projection, lock, other order, limit or filter', () => {
    const plain = byId(Employee, 'x');
    expect(isPlainReadById(plain)).toBe(true);
    const others: FindCommand[] = [
      { ...plain, select: ['id', 'name'] },
      { ...plain, lock: { mode: 'forShare', onLocked: 'wait' } },
      { ...plain, forUpdate: true },
      { ...plain, limit: 2 },
      { ...plain, limit: undefined },
      { ...plain, orderBy: [{ field: 'id', direction: 'desc' }] },
      {
        ...plain,
        orderBy: [
          { field: 'name', direction: 'asc' },
          { field: 'id', direction: 'asc' },
        ],
      },
      { ...plain, where: { type: 'compare', field: 'id', op: 'gt', value: 'x' } },
      { ...plain, where: { type: 'compare', field: 'email', op: 'eq', value: 'x' } },
      { ...plain, perGroup: { field: 'name', limit: 1 } },
    ];
    for (const command of others) expect(isPlainReadById(command)).toBe(false);
  });

  it('compiles from the cache exactly as compileFind, per dialect and entity, with each call its value', () => {
    for (const dialect of [postgresDialect, mysqlDialect]) {
      for (const [entity, values] of [
        [Employee, ['a', 'b', 'c']],
        [Counter, [1, 2, 3]],
      ] as const) {
        for (const value of values) {
          const command = byId(entity, value);
          const cached = compileFindCached(dialect, command);
          expect(cached).toEqual(compileFind(dialect, command));
          expect(cached.params).toEqual([value]);
        }
      }
    }
  });

  it("never answers findById's select or lock variants with the plain read's cached text", () => {
    for (const dialect of [postgresDialect, mysqlDialect]) {
      const plain = byId(Employee, 'x');
      const variants: FindCommand[] = [
        plain,
        { ...plain, select: ['id', 'name'] },
        { ...plain, lock: { mode: 'forShare', onLocked: 'skipLocked' } },
        { ...plain, lock: { mode: 'forUpdate', onLocked: 'noWait' }, forUpdate: true },
        { ...plain, forUpdate: true },
      ];
      for (let round = 0; round < 2; round++)
        for (const command of variants)
          expect(compileFindCached(dialect, command)).toEqual(compileFind(dialect, command));
    }
  });

  it('is still refused where the entity has no id field of its own', () => {
    const { id: _id, ...fields } = Employee.fields;
    const withoutId = { ...Employee, fields, fieldNames: Employee.fieldNames.filter((n) => n !== 'id') };
    expect(() => compileFindCached(postgresDialect, byId(withoutId, 'x'))).toThrow();
  });
});
