import type { EntityMeta } from '../entity/define-entity.js';
import type { FieldMeta } from '../entity/field.js';
import { type ColumnChange, compareColumnType } from './compare-column-type.js';
import type { MigrationStep, RenameSuggestion, SchemaDiff } from './migration-step.js';
import type { ForeignKeyMeta } from '../entity/entity-meta.js';
import type {
  CollectionValidation,
  ColumnModel,
  ForeignKeyModel,
  IndexModel,
  SchemaModel,
  TableModel,
} from './schema-model.js';
import type { SchemaTarget } from './schema-target.js';

/** Tables berth keeps for itself (migration history, commit markers): never diffed, never dropped. */
export const BERTH_TABLE_PREFIX = 'berth_';

/** What `diffSchema` may propose beyond making the entities' tables match. */
export interface DiffOptions {
  /** Propose dropping tables no entity declares (default true; `ensureSchema`'s check passes false). */
  dropTables?: boolean;
  /** Propose dropping columns no field declares (default true). */
  dropColumns?: boolean;
  /** Compare indexes (default true). */
  indexes?: boolean;
  /** Compare foreign keys where the target keeps them (default true). */
  foreignKeys?: boolean;
  /** Compare document validators where the target has them (MongoDB; default true). */
  validators?: boolean;
}

/**
 * Compares the entities with the live schema and returns the steps that make the live schema match, in
 * an order that can run: foreign keys no longer wanted as declared, new tables, then renames, added and
 * altered columns, index changes, foreign keys added, and the drops last (so an expand-only prefix of the
 * list is safe while old code still runs). Pure: no database.
 *
 * A field with `renamedFrom` whose old column exists (and whose own column does not) becomes a rename. A
 * column dropped and another of the same type added in one table, without the hint, stay a drop and an add,
 * and the pair is returned in `renames` so tools can offer it as a rename.
 */
export function diffSchema(
  entities: readonly EntityMeta[],
  live: SchemaModel,
  target: SchemaTarget,
  options: DiffOptions = {},
): SchemaDiff {
  const {
    dropTables = true,
    dropColumns = true,
    indexes = true,
    foreignKeys = true,
    validators = true,
  } = options;
  const liveTables = new Map(live.tables.map((t) => [t.name, t]));
  const creates: MigrationStep[] = [];
  const changes: MigrationStep[] = [];
  const indexSteps: MigrationStep[] = [];
  const drops: MigrationStep[] = [];
  const renames: RenameSuggestion[] = [];
  const keyDrops: MigrationStep[] = [];
  const keyAdds: MigrationStep[] = [];

  for (const entity of entities) {
    const table = liveTables.get(entity.name);
    if (foreignKeys && target.foreignKeyName) {
      const keySteps = diffForeignKeys(entity, table?.foreignKeys ?? [], target.foreignKeyName);
      keyDrops.push(...keySteps.filter((s) => s.kind === 'dropForeignKey'));
      keyAdds.push(...keySteps.filter((s) => s.kind === 'addForeignKey'));
    }
    if (!table) {
      creates.push({
        kind: 'createTable',
        table: entity.name,
        entity,
        destructive: false,
        reason: `table ${entity.name} does not exist`,
      });
      if (indexes) indexSteps.push(...diffIndexes(entity, [], target));
      continue;
    }
    if (!target.schemaless && table.columns) {
      const columnSteps = diffColumns(entity, table, target, dropColumns);
      changes.push(...columnSteps.changes);
      drops.push(...columnSteps.drops);
      renames.push(...columnSteps.renames);
    }
    if (validators && target.validation) {
      const step = diffValidation(entity, table, target.validation(entity));
      if (step) changes.push(step);
    }
    if (indexes) {
      const indexChanges = diffIndexes(entity, table.indexes, target);
      indexSteps.push(...indexChanges.filter((s) => s.kind === 'createIndex'));
      // Replaced or surplus indexes go first, so a replacement under the same name can be created.
      changes.unshift(...indexChanges.filter((s) => s.kind === 'dropIndex'));
    }
  }
  if (dropTables) {
    const declared = new Set(entities.map((e) => e.name));
    for (const table of live.tables) {
      if (declared.has(table.name) || table.name.startsWith(BERTH_TABLE_PREFIX)) continue;
      drops.push({
        kind: 'dropTable',
        table: table.name,
        destructive: true,
        reason: `table ${table.name} is not declared by any entity: dropping it deletes its rows`,
      });
    }
  }
  // Foreign keys are dropped first (a column, index or table they hold on can then go) and added once
  // every table, column and index exists (MySQL would otherwise make an index of its own for the key).
  return { steps: [...keyDrops, ...creates, ...changes, ...indexSteps, ...keyAdds, ...drops], renames };
}

/** JSON with object keys sorted, so two documents equal but for key order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null &&
    typeof item === 'object' &&
    !Array.isArray(item) &&
    Object.getPrototypeOf(item) === Object.prototype
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/**
 * The collection's validator, level and action against the entity's: any difference is one `setValidator`
 * step (MongoDB's `collMod` replaces them together). Not destructive: no document changes, though writes
 * the new rules refuse fail from then on (existing documents are not re-checked until updated).
 */
function diffValidation(
  entity: EntityMeta,
  table: TableModel,
  to: CollectionValidation,
): MigrationStep | undefined {
  const from: CollectionValidation = {
    validator: table.validator,
    level: table.validationLevel ?? 'strict',
    action: table.validationAction ?? 'error',
  };
  const differences: string[] = [];
  if (canonical(from.validator) !== canonical(to.validator))
    differences.push(from.validator === undefined ? 'no validator' : 'the validator differs');
  if (from.level !== to.level) differences.push(`validationLevel ${from.level} -> ${to.level}`);
  if (from.action !== to.action) differences.push(`validationAction ${from.action} -> ${to.action}`);
  if (differences.length === 0) return undefined;
  return {
    kind: 'setValidator',
    table: entity.name,
    entity,
    from,
    to,
    destructive: false,
    reason: `collection ${entity.name}: ${differences.join(', ')}`,
  };
}

/**
 * The foreign keys of the entity's `belongsTo` relations against the live ones, by constraint name: a
 * missing key is added, one with another column, referenced table or `ON DELETE` action is dropped and
 * added again, and a live key no relation declares is dropped. None of these loses data; adding a key
 * fails on rows that reference nothing (the file says so).
 */
function diffForeignKeys(
  entity: EntityMeta,
  live: readonly ForeignKeyModel[],
  nameOf: (reference: ForeignKeyMeta) => string,
): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const byName = new Map(live.map((k) => [k.name.toLowerCase(), k]));
  const wanted = new Set<string>();
  for (const column of entity.fieldNames) {
    const reference = entity.fields[column]!.references;
    if (!reference) continue;
    const name = nameOf(reference);
    wanted.add(name.toLowerCase());
    const existing = byName.get(name.toLowerCase());
    const referenced = reference.target().name;
    const differences: string[] = [];
    if (existing) {
      if (existing.columns.length !== 1 || existing.columns[0] !== column)
        differences.push(`column ${existing.columns.join(', ')} -> ${column}`);
      if (
        existing.referencedTable !== referenced ||
        existing.referencedColumns.length !== 1 ||
        existing.referencedColumns[0] !== 'id'
      )
        differences.push(
          `references ${existing.referencedTable}(${existing.referencedColumns.join(', ')}) -> ${referenced}(id)`,
        );
      if (existing.onDelete !== undefined && existing.onDelete !== reference.onDelete)
        differences.push(`on delete ${existing.onDelete} -> ${reference.onDelete}`);
      if (differences.length === 0) continue;
      steps.push({
        kind: 'dropForeignKey',
        table: entity.name,
        foreignKey: existing,
        destructive: false,
        reason: `foreign key ${existing.name} is redefined (${differences.join(', ')})`,
      });
    }
    steps.push({
      kind: 'addForeignKey',
      table: entity.name,
      column,
      reference,
      constraintName: name,
      destructive: false,
      reason: existing
        ? `foreign key ${name} is redefined (${differences.join(', ')})`
        : `foreign key ${name} (${column} -> ${referenced}.id, on delete ${reference.onDelete}) is missing`,
    });
  }
  for (const key of live) {
    if (wanted.has(key.name.toLowerCase())) continue;
    steps.push({
      kind: 'dropForeignKey',
      table: entity.name,
      foreignKey: key,
      destructive: false,
      reason: `foreign key ${key.name} is not declared by any relation`,
    });
  }
  return steps;
}

function diffColumns(
  entity: EntityMeta,
  table: TableModel,
  target: SchemaTarget,
  dropColumns: boolean,
): { changes: MigrationStep[]; drops: MigrationStep[]; renames: RenameSuggestion[] } {
  const columns = new Map((table.columns ?? []).map((c) => [c.name, c]));
  const changes: MigrationStep[] = [];
  const added: { name: string; field: FieldMeta }[] = [];
  const claimed = new Set<string>();

  for (const name of entity.fieldNames) {
    const field = entity.fields[name]!;
    let column = columns.get(name);
    const previous = field.renamedFrom;
    if (!column && previous !== undefined && columns.has(previous) && !entity.fields[previous]) {
      changes.push({
        kind: 'renameColumn',
        table: table.name,
        from: previous,
        column: name,
        destructive: false,
        reason: `column ${previous} is renamed to ${name} (renamedFrom)`,
      });
      claimed.add(previous);
      column = { ...columns.get(previous)!, name };
    }
    if (!column) {
      added.push({ name, field });
      continue;
    }
    claimed.add(column.name);
    const step = alterStep(table.name, name, field, column, target);
    if (step) changes.push(step);
  }

  const surplus = (table.columns ?? []).filter((c) => !claimed.has(c.name) && !entity.fields[c.name]);
  const renames: RenameSuggestion[] = [];
  for (const { name, field } of added) {
    const wanted = target.columnType(field);
    const twin = surplus.find((c) => c.type === wanted.type && !renames.some((r) => r.from === c.name));
    if (twin) renames.push({ table: table.name, from: twin.name, to: name });
    changes.push({
      kind: 'addColumn',
      table: table.name,
      column: name,
      field,
      // A NOT NULL column without a constant default cannot be added to a table that has rows.
      destructive: false,
      reason: `column ${name} is missing`,
    });
  }
  const drops: MigrationStep[] = [];
  if (dropColumns) {
    for (const column of surplus) {
      drops.push({
        kind: 'dropColumn',
        table: table.name,
        column: column.name,
        from: column,
        destructive: true,
        reason: `column ${column.name} is not declared: dropping it deletes its values`,
      });
    }
  }
  return { changes, drops, renames };
}

function alterStep(
  table: string,
  name: string,
  field: FieldMeta,
  column: ColumnModel,
  target: SchemaTarget,
): MigrationStep | undefined {
  const to = target.columnType(field);
  const change: ColumnChange = compareColumnType(column, to);
  const nullableChanged = column.nullable !== field.nullable;
  if (change === 'same' && !nullableChanged) return undefined;
  const reasons: string[] = [];
  if (change !== 'same') reasons.push(`type ${column.type} -> ${to.type} (${change})`);
  if (nullableChanged) reasons.push(field.nullable ? 'becomes nullable' : 'becomes NOT NULL');
  // NOT NULL over existing NULLs fails or, backfilled, loses the fact that they were unknown.
  const destructive =
    change === 'narrowing' || change === 'kind-change' || (nullableChanged && !field.nullable);
  return {
    kind: 'alterColumn',
    table,
    column: name,
    field,
    from: column,
    to,
    typeChanged: change !== 'same',
    nullableChanged,
    destructive,
    reason: `column ${name}: ${reasons.join(', ')}`,
  };
}

function diffIndexes(entity: EntityMeta, live: readonly IndexModel[], target: SchemaTarget): MigrationStep[] {
  const steps: MigrationStep[] = [];
  const byName = new Map(live.map((i) => [i.name.toLowerCase(), i]));
  const wanted = new Set<string>();
  for (const index of entity.indexes) {
    const name = target.indexName(index);
    wanted.add(name.toLowerCase());
    const existing = byName.get(name.toLowerCase());
    const same =
      existing !== undefined &&
      existing.unique === index.unique &&
      existing.columns.length === index.fields.length &&
      existing.columns.every((c, i) => c === index.fields[i]);
    if (same) continue;
    if (existing) {
      steps.push({
        kind: 'dropIndex',
        table: entity.name,
        index: existing,
        destructive: false,
        reason: `index ${name} has another definition`,
      });
    }
    steps.push({
      kind: 'createIndex',
      table: entity.name,
      index,
      indexName: name,
      entity,
      destructive: false,
      reason: existing ? `index ${name} is redefined` : `index ${name} is missing`,
    });
  }
  for (const index of live) {
    if (wanted.has(index.name.toLowerCase())) continue;
    steps.push({
      kind: 'dropIndex',
      table: entity.name,
      index,
      destructive: false,
      reason: `index ${index.name} is not declared`,
    });
  }
  return steps;
}
