import { describe, expect, expectTypeOf, it } from 'vitest';
import { type InsertOf, type RowOf, defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { MigrationError } from '../errors/migration-error.js';
import { SchemaDriftError } from '../errors/schema-drift-error.js';
import type { MigrationStep } from './migration-step.js';

const Person = defineEntity('people', {
  id: field.id(),
  years: field.integer().renamedFrom('age'),
  nick: field.string().nullable().renamedFrom('nickname'),
});

describe('migration types', () => {
  it('renamedFrom keeps the field type, optionality and kind', () => {
    expectTypeOf<RowOf<typeof Person>>().toEqualTypeOf<{ id: string; years: number; nick: string | null }>();
    expectTypeOf<InsertOf<typeof Person>>().toEqualTypeOf<{ years: number; nick?: string | null }>();
    expect(Person.fields.years!.renamedFrom).toBe('age');
    // @ts-expect-error the previous name is a string
    field.integer().renamedFrom(1);
  });

  it('steps narrow on kind', () => {
    const describe = (step: MigrationStep): string => {
      if (step.kind === 'renameColumn') return `${step.from} -> ${step.column}`;
      if (step.kind === 'createIndex') return step.indexName;
      // @ts-expect-error only some steps have a column
      return step.column;
    };
    expectTypeOf(describe).returns.toEqualTypeOf<string>();
  });
});

describe('migration errors', () => {
  it('SchemaDriftError names every difference and the fix', () => {
    const error = new SchemaDriftError([
      'people: column phone is missing',
      'people: column age: type bigint -> varchar(10)',
    ]);
    expect(error.code).toBe('SCHEMA_DRIFT');
    expect(error.retryable).toBe(false);
    expect(error.differences).toHaveLength(2);
    expect(error.message).toContain('column phone is missing; people: column age');
    expect(error.message).toContain('berth migrate generate');
  });

  it('MigrationError carries its reason and file; only a lock timeout is retryable', () => {
    const edited = new MigrationError('checksum-mismatch', 'edited', '20260101T000000_x');
    expect([edited.code, edited.reason, edited.migration, edited.retryable]).toEqual([
      'MIGRATION',
      'checksum-mismatch',
      '20260101T000000_x',
      false,
    ]);
    expect(new MigrationError('lock-timeout', 'busy').retryable).toBe(true);
  });
});

describe('history table names', () => {
  it('must start with berth_ (never diffed) and be plain identifiers', async () => {
    const { historyTableOf } = await import('./history-table.js');
    const { ValidationError } = await import('../errors/validation-error.js');
    expect(historyTableOf()).toBe('berth_migrations');
    expect(historyTableOf({ historyTable: 'berth_migrations_billing' })).toBe('berth_migrations_billing');
    for (const bad of ['migrations', 'berth_x; DROP TABLE y', 'berth_', 'BERTH_X'])
      expect(() => historyTableOf({ historyTable: bad })).toThrow(ValidationError);
  });
});
