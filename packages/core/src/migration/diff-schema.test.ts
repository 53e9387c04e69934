import { describe, expect, it } from 'vitest';
import { type EntityMeta, defineEntity } from '../entity/define-entity.js';
import { type FieldMeta, field } from '../entity/field.js';
import { compareColumnType } from './compare-column-type.js';
import { diffSchema } from './diff-schema.js';
import { belongsTo } from '../entity/relation-definitions.js';
import type { MigrationStep } from './migration-step.js';
import type { ColumnModel, ColumnType, ForeignKeyModel, SchemaModel, TableModel } from './schema-model.js';
import type { SchemaTarget } from './schema-target.js';

// A target spelled like PostgreSQL's, written out here so the differ is tested on its own.
function columnType(f: FieldMeta): ColumnType {
  switch (f.kind) {
    case 'id':
    case 'string':
      return { kind: 'string', type: `varchar(${f.max})`, length: f.max! };
    case 'integer':
      return { kind: 'integer', type: 'bigint', bits: 64 };
    case 'version':
      return { kind: 'integer', type: 'integer', bits: 32 };
    case 'number':
      return { kind: 'float', type: 'double precision' };
    case 'boolean':
      return { kind: 'boolean', type: 'boolean' };
    case 'json':
      return { kind: 'json', type: 'jsonb' };
    default:
      return { kind: 'datetime', type: 'timestamptz(3)' };
  }
}
const target: SchemaTarget = { schemaless: false, columnType, indexName: (i) => i.name };

const V1 = defineEntity('people', {
  id: field.id(),
  name: field.string({ max: 100 }).unique(),
  age: field.integer(),
});

function col(name: string, f: FieldMeta, nullable = f.nullable): ColumnModel {
  return { name, ...columnType(f), nullable, default: null };
}
function tableOf(entity: typeof V1, extra: Partial<TableModel> = {}): TableModel {
  return {
    name: entity.name,
    columns: entity.fieldNames.map((n) => col(n, entity.fields[n]!)),
    indexes: entity.indexes.map((i) => ({ name: i.name, columns: i.fields, unique: i.unique })),
    foreignKeys: [],
    ...extra,
  };
}
const live = (...tables: TableModel[]): SchemaModel => ({ tables });
const kinds = (steps: readonly { kind: string }[]) => steps.map((s) => s.kind);

describe('diffSchema', () => {
  it('finds nothing when the live schema matches', () => {
    expect(diffSchema([V1], live(tableOf(V1)), target)).toEqual({ steps: [], renames: [] });
  });

  it('creates a missing table, then its indexes', () => {
    const { steps } = diffSchema([V1], live(), target);
    expect(kinds(steps)).toEqual(['createTable', 'createIndex']);
    expect(steps.every((s) => !s.destructive)).toBe(true);
  });

  it('adds a missing column (the issue: a field added to an entity)', () => {
    const V2 = defineEntity('people', { ...fieldsOf(V1), phone: field.string({ max: 20 }).nullable() });
    const { steps } = diffSchema([V2], live(tableOf(V1)), target);
    expect(steps).toMatchObject([{ kind: 'addColumn', column: 'phone', destructive: false }]);
  });

  it('drops a column no field declares, marked destructive', () => {
    const V0 = defineEntity('people', { id: field.id(), name: field.string({ max: 100 }).unique() });
    const { steps } = diffSchema([V0], live(tableOf(V1)), target);
    expect(steps).toMatchObject([{ kind: 'dropColumn', column: 'age', destructive: true }]);
    expect(diffSchema([V0], live(tableOf(V1)), target, { dropColumns: false }).steps).toEqual([]);
  });

  it('offers a drop+add of the same type as a rename, and renames with the renamedFrom hint', () => {
    const unhinted = defineEntity('people', {
      id: field.id(),
      name: field.string({ max: 100 }).unique(),
      years: field.integer(),
    });
    const plain = diffSchema([unhinted], live(tableOf(V1)), target);
    expect(kinds(plain.steps)).toEqual(['addColumn', 'dropColumn']);
    expect(plain.renames).toEqual([{ table: 'people', from: 'age', to: 'years' }]);

    const hinted = defineEntity('people', {
      id: field.id(),
      name: field.string({ max: 100 }).unique(),
      years: field.integer().renamedFrom('age'),
    });
    const renamed = diffSchema([hinted], live(tableOf(V1)), target);
    expect(renamed.steps).toMatchObject([
      { kind: 'renameColumn', from: 'age', column: 'years', destructive: false },
    ]);
    expect(renamed.renames).toEqual([]);
    // Once renamed, the hint is inert.
    const after = tableOf(V1, { columns: hinted.fieldNames.map((n) => col(n, hinted.fields[n]!)) });
    expect(diffSchema([hinted], live(after), target).steps).toEqual([]);
  });

  it('changes a column kind (integer -> string) as a destructive alteration', () => {
    const V2 = defineEntity('people', { ...fieldsOf(V1), age: field.string({ max: 10 }) });
    const { steps } = diffSchema([V2], live(tableOf(V1)), target);
    expect(steps).toMatchObject([
      { kind: 'alterColumn', column: 'age', typeChanged: true, nullableChanged: false, destructive: true },
    ]);
  });

  it('widens a string safely and narrows it destructively', () => {
    const wider = defineEntity('people', { ...fieldsOf(V1), name: field.string({ max: 200 }).unique() });
    expect(diffSchema([wider], live(tableOf(V1)), target).steps).toMatchObject([
      { kind: 'alterColumn', destructive: false },
    ]);
    const narrower = defineEntity('people', { ...fieldsOf(V1), name: field.string({ max: 50 }).unique() });
    expect(diffSchema([narrower], live(tableOf(V1)), target).steps).toMatchObject([
      { kind: 'alterColumn', destructive: true },
    ]);
  });

  it('relaxing NOT NULL is safe; requiring it is destructive', () => {
    const relaxed = defineEntity('people', { ...fieldsOf(V1), age: field.integer().nullable() });
    expect(diffSchema([relaxed], live(tableOf(V1)), target).steps).toMatchObject([
      { kind: 'alterColumn', nullableChanged: true, typeChanged: false, destructive: false },
    ]);
    const liveNullable = tableOf(V1, {
      columns: V1.fieldNames.map((n) => col(n, V1.fields[n]!, n === 'age')),
    });
    expect(diffSchema([V1], live(liveNullable), target).steps).toMatchObject([
      { kind: 'alterColumn', nullableChanged: true, destructive: true },
    ]);
  });

  it('creates missing indexes, replaces redefined ones, drops undeclared ones', () => {
    const V2 = defineEntity(
      'people',
      { ...fieldsOf(V1), name: field.string({ max: 100 }).index() },
      { indexes: [{ fields: ['name', 'age'], unique: true }] },
    );
    const current = tableOf(V1, {
      indexes: [
        { name: 'people_name_idx', columns: ['age'], unique: false },
        { name: 'people_name_key', columns: ['name'], unique: true },
      ],
    });
    const { steps } = diffSchema([V2], live(current), target);
    expect(
      steps.map((s) => `${s.kind}:${'indexName' in s ? s.indexName : 'index' in s ? s.index.name : ''}`),
    ).toEqual([
      'dropIndex:people_name_idx',
      'dropIndex:people_name_key',
      'createIndex:people_name_idx',
      'createIndex:people_name_age_key',
    ]);
  });

  it('drops undeclared tables (destructive) but never berth_ tables, unless told not to', () => {
    const other: TableModel = { name: 'legacy', columns: [], indexes: [], foreignKeys: [] };
    const mine: TableModel = { name: 'berth_migrations', columns: [], indexes: [], foreignKeys: [] };
    const { steps } = diffSchema([V1], live(tableOf(V1), other, mine), target);
    expect(steps).toMatchObject([{ kind: 'dropTable', table: 'legacy', destructive: true }]);
    expect(diffSchema([V1], live(tableOf(V1), other), target, { dropTables: false }).steps).toEqual([]);
  });

  it('compares only collections and indexes on a schemaless target', () => {
    const schemaless: SchemaTarget = { ...target, schemaless: true };
    const collection: TableModel = { name: 'people', columns: undefined, indexes: [], foreignKeys: [] };
    expect(kinds(diffSchema([V1], live(collection), schemaless).steps)).toEqual(['createIndex']);
  });
});

describe('compareColumnType', () => {
  const t = (kind: ColumnType['kind'], type: string, extra: Partial<ColumnType> = {}): ColumnType => ({
    kind,
    type,
    ...extra,
  });
  it('classifies changes', () => {
    expect(compareColumnType(t('integer', 'bigint'), t('integer', 'bigint'))).toBe('same');
    expect(
      compareColumnType(t('integer', 'integer', { bits: 32 }), t('integer', 'bigint', { bits: 64 })),
    ).toBe('widening');
    expect(
      compareColumnType(t('integer', 'bigint', { bits: 64 }), t('integer', 'integer', { bits: 32 })),
    ).toBe('narrowing');
    expect(compareColumnType(t('string', 'varchar(10)', { length: 10 }), t('string', 'text'))).toBe(
      'widening',
    );
    expect(compareColumnType(t('string', 'text'), t('string', 'varchar(10)', { length: 10 }))).toBe(
      'narrowing',
    );
    expect(compareColumnType(t('integer', 'bigint'), t('string', 'varchar(10)'))).toBe('kind-change');
    expect(compareColumnType(t('float', 'real'), t('float', 'double precision'))).toBe('kind-change');
  });
});

/** V1's field declarations, to spread into its next versions. */
function fieldsOf(_entity: typeof V1) {
  return { id: field.id(), name: field.string({ max: 100 }).unique(), age: field.integer() };
}

describe('diffSchema: foreign keys', () => {
  const Team = defineEntity('teams', { id: field.id() });
  const member = (onDelete: 'cascade' | 'restrict') =>
    defineEntity('members', { id: field.id(), team: belongsTo(() => Team, { onDelete }) });
  const keyed: SchemaTarget = { ...target, foreignKeyName: (r) => r.name };
  const live = (entity: EntityMeta, foreignKeys: ForeignKeyModel[]): SchemaModel => ({
    tables: [
      tableOf(Team as unknown as typeof V1),
      {
        name: entity.name,
        columns: entity.fieldNames.map((n) => col(n, entity.fields[n]!)),
        indexes: [{ name: 'members_teamId_idx', columns: ['teamId'], unique: false }],
        foreignKeys,
      },
    ],
  });
  const restrictKey: ForeignKeyModel = {
    name: 'members_teamId_fkey',
    columns: ['teamId'],
    referencedTable: 'teams',
    referencedColumns: ['id'],
    onDelete: 'restrict',
  };

  it('a new table gets its foreign keys after every table and index exists', () => {
    const Member = member('restrict');
    const { steps } = diffSchema([Team, Member], { tables: [] }, keyed);
    expect(steps.map((s) => s.kind)).toEqual(['createTable', 'createTable', 'createIndex', 'addForeignKey']);
    const add = steps.at(-1) as Extract<MigrationStep, { kind: 'addForeignKey' }>;
    expect(add).toMatchObject({ table: 'members', column: 'teamId', constraintName: 'members_teamId_fkey' });
    expect(add.reference.onDelete).toBe('restrict');
    expect(add.destructive).toBe(false);
  });

  it('a matching key is no step; another onDelete is a drop first and an add last; an undeclared key is dropped', () => {
    const Member = member('restrict');
    expect(diffSchema([Team, Member], live(Member, [restrictKey]), keyed).steps).toEqual([]);
    const Cascade = member('cascade');
    const changed = diffSchema([Team, Cascade], live(Cascade, [restrictKey]), keyed).steps;
    expect(changed.map((s) => s.kind)).toEqual(['dropForeignKey', 'addForeignKey']);
    expect(changed[1]!.reason).toContain('on delete restrict -> cascade');
    const retargeted = diffSchema(
      [Team, Member],
      live(Member, [{ ...restrictKey, referencedTable: 'squads' }]),
      keyed,
    ).steps;
    expect(retargeted.map((s) => s.kind)).toEqual(['dropForeignKey', 'addForeignKey']);
    const Plain = defineEntity('members', { id: field.id(), teamId: field.string({ max: 36 }).index() });
    const dropped = diffSchema([Team, Plain], live(Plain, [restrictKey]), keyed, { indexes: false }).steps;
    expect(dropped).toMatchObject([{ kind: 'dropForeignKey', foreignKey: restrictKey, destructive: false }]);
  });

  it('a target without foreign-key names (MongoDB) and foreignKeys: false compare none', () => {
    const Member = member('cascade');
    expect(diffSchema([Team, Member], live(Member, [restrictKey]), target).steps).toEqual([]);
    expect(
      diffSchema([Team, Member], live(Member, [restrictKey]), keyed, { foreignKeys: false }).steps,
    ).toEqual([]);
  });
});

describe('diffSchema: document validators', () => {
  const documents: SchemaTarget = {
    schemaless: true,
    columnType,
    indexName: (i) => i.name,
    validation: (entity) => ({
      validator: { $jsonSchema: { bsonType: 'object', required: ['_id', ...entity.fieldNames] } },
      level: 'strict',
      action: 'error',
    }),
  };
  const expected = { $jsonSchema: { required: ['_id', 'id', 'name', 'age'], bsonType: 'object' } };

  it('finds nothing when the validator matches (key order aside) and the level and action are the defaults', () => {
    const table = tableOf(V1, { columns: undefined, validator: expected });
    expect(diffSchema([V1], live(table), documents).steps).toEqual([]);
  });

  it('one setValidator step, not destructive, for a missing or different validator, level or action', () => {
    for (const extra of [
      {},
      { validator: { $jsonSchema: { bsonType: 'object', required: ['_id'] } } },
      { validator: expected, validationLevel: 'moderate' },
      { validator: expected, validationAction: 'warn' },
    ]) {
      const { steps } = diffSchema([V1], live(tableOf(V1, { columns: undefined, ...extra })), documents);
      expect(kinds(steps)).toEqual(['setValidator']);
      const step = steps[0] as Extract<MigrationStep, { kind: 'setValidator' }>;
      expect(step.destructive).toBe(false);
      expect(step.to.level).toBe('strict');
      expect(step.from.validator).toEqual((extra as { validator?: unknown }).validator);
    }
    expect(
      diffSchema([V1], live(tableOf(V1, { columns: undefined })), documents, { validators: false }).steps,
    ).toEqual([]);
  });
});
