import { describe, expect, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { type FieldMeta, field } from '../entity/field.js';
import { diffSchema } from './diff-schema.js';
import { splitExpandContract } from './expand-contract.js';
import type { ColumnType, SchemaModel } from './schema-model.js';
import type { SchemaTarget } from './schema-target.js';

const columnType = (f: FieldMeta): ColumnType =>
  f.kind === 'integer'
    ? { kind: 'integer', type: 'bigint', bits: 64 }
    : { kind: 'string', type: `varchar(${f.max})`, length: f.max! };
const target: SchemaTarget = { schemaless: false, columnType, indexName: (i) => i.name };

const V1 = defineEntity('people', {
  id: field.id(),
  age: field.integer().index(),
  nick: field.string({ max: 30 }).nullable(),
  code: field.string({ max: 10 }),
});
const live: SchemaModel = {
  tables: [
    {
      name: 'people',
      columns: V1.fieldNames.map((n) => ({
        name: n,
        ...columnType(V1.fields[n]!),
        nullable: V1.fields[n]!.nullable,
        default: null,
      })),
      indexes: [{ name: 'people_age_idx', columns: ['age'], unique: false }],
      foreignKeys: [],
    },
  ],
};
const kinds = (steps: readonly { kind: string; column?: string }[]) =>
  steps.map((s) => `${s.kind}${'column' in s && s.column ? ` ${s.column}` : ''}`);

describe('splitExpandContract', () => {
  it('expand only adds or relaxes; renames, drops, NOT NULL and columns old inserts leave empty wait for contract', () => {
    const V2 = defineEntity('people', {
      id: field.id(),
      years: field.integer().renamedFrom('age'),
      phone: field.string({ max: 20 }).nullable().index(),
      team: field.string({ max: 10 }).default('core'),
      badge: field.string({ max: 10 }).index(),
      code: field.string({ max: 20 }).nullable(),
    });
    const { steps } = diffSchema([V2], live, target);
    const { expand, contract } = splitExpandContract(steps);
    expect(kinds(expand)).toEqual(['alterColumn code', 'addColumn phone', 'addColumn team', 'createIndex']);
    expect(expand.every((s) => !s.destructive)).toBe(true);
    // The index on badge waits for badge (NOT NULL, no default: old inserts would fail), the rename and
    // the drops wait for the old code to be gone.
    expect(kinds(contract)).toEqual([
      'dropIndex',
      'renameColumn years',
      'addColumn badge',
      'createIndex',
      'dropColumn nick',
    ]);
    expect(contract.filter((s) => s.kind === 'createIndex')).toMatchObject([
      { indexName: 'people_badge_idx' },
    ]);
  });

  it('an index redefined under the same name is dropped and created in contract, never left missing by expand', () => {
    const V2 = defineEntity(
      'people',
      {
        id: field.id(),
        age: field.integer(),
        nick: field.string({ max: 30 }).nullable(),
        code: field.string({ max: 10 }),
      },
      { indexes: [{ name: 'people_age_idx', fields: ['age', 'code'], unique: false }] },
    );
    const { expand, contract } = splitExpandContract(diffSchema([V2], live, target).steps);
    expect(expand).toEqual([]);
    expect(kinds(contract)).toEqual(['dropIndex', 'createIndex']);
  });
});
