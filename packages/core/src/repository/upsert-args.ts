import type { StoredRow } from '../driver/commands.js';
import type { UpsertItem } from '../driver/write-commands.js';
import { buildInsertRow, validatePatch } from '../entity/build-row.js';
import type { Entity, EntityMeta, InsertOf, PatchOf, RowOf } from '../entity/define-entity.js';
import { MANAGED_KINDS } from '../entity/field.js';
import { validateValue } from '../entity/validate-value.js';
import { ValidationError } from '../errors/validation-error.js';
import { valuesEqual } from './values-equal.js';

/** The unique key of an upsert: the non-JSON fields of `E`, each an exact value. */
export type UpsertKey<E extends Entity> = {
  [K in keyof RowOf<E>]?: NonNullable<RowOf<E>[K]>;
};

/** What `upsert` takes. */
export interface UpsertArgs<E extends Entity> {
  /**
   * Exactly the fields of one unique field or unique index, each with a (non-null) value: the row to
   * change if it exists. Other filters are refused, because only a unique key makes an upsert atomic.
   */
  where: UpsertKey<E>;
  /** The row to insert when none has the key. The key's values are taken from `where` if omitted here. */
  create: InsertOf<E>;
  /** The fields to change when the row exists (not the key's). Version +1 and `updatedAt` are set too. */
  update: PatchOf<E>;
}

/** What `upsertMany` takes besides the rows. */
export interface UpsertManyOptions<E extends Entity> {
  /** The field, or the fields of a compound unique index, that identify a row. */
  on: (keyof InsertOf<E> & string) | readonly (keyof InsertOf<E> & string)[];
  /**
   * The fields written to a row that exists. Default: every caller-owned field except the key's, so the
   * given row (with defaults for what it omits) replaces the stored values.
   */
  update?: readonly (keyof PatchOf<E> & string)[];
}

/** One row's result. */
export interface UpsertResult<Row> {
  /** The row as stored after the write: the inserted row, or the existing row with the update applied. */
  row: Row;
  /** True when the row was inserted, false when an existing row was changed. */
  created: boolean;
}

/** The fields of the unique field or unique index named by exactly these field names, in index order. */
export function uniqueKey(entity: EntityMeta, names: readonly string[]): string[] {
  const index = entity.indexes.find(
    (i) => i.unique && i.fields.length === names.length && i.fields.every((f) => names.includes(f)),
  );
  if (!index || new Set(names).size !== names.length) {
    throw new ValidationError(
      `an upsert of ${entity.name} must name exactly the fields of one unique field or unique index (got ${names.join(', ') || 'none'})`,
      [{ field: 'where', message: 'not a unique key' }],
    );
  }
  return [...index.fields];
}

function checkKeyValues(entity: EntityMeta, key: readonly string[], values: Record<string, unknown>): void {
  for (const name of key) {
    const meta = entity.fields[name]!;
    const problem = validateValue(name, { ...meta, nullable: false }, values[name]);
    if (problem) throw new ValidationError(`invalid upsert key: ${problem.message}`, [problem]);
  }
}

function plainObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ValidationError(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function keyChange(key: readonly string[], set: StoredRow): void {
  const touched = key.filter((name) => Object.hasOwn(set, name));
  if (touched.length > 0) {
    throw new ValidationError(`an upsert cannot change its key (${touched.join(', ')})`, [
      { field: touched[0]!, message: 'is the upsert key' },
    ]);
  }
}

/** Validates `upsert`'s arguments into the key and the one item to send. */
export function upsertItem(
  entity: EntityMeta,
  args: unknown,
  now: Date,
): { key: string[]; item: UpsertItem } {
  const { where, create, update } = plainObject(args, 'upsert arguments');
  const whereObject = plainObject(where, 'upsert where');
  const key = uniqueKey(entity, Object.keys(whereObject));
  checkKeyValues(entity, key, whereObject);
  const createObject = { ...plainObject(create, 'upsert create') };
  for (const name of key) {
    if (createObject[name] === undefined) createObject[name] = whereObject[name];
    else if (!valuesEqual(entity.fields[name]!, createObject[name], whereObject[name]))
      throw new ValidationError(`upsert create.${name} differs from where.${name}`, [
        { field: name, message: 'differs from the key' },
      ]);
  }
  const set = validatePatch(entity, update);
  keyChange(key, set);
  return { key, item: { insert: buildInsertRow(entity, createObject, now), set } };
}

/** Validates `upsertMany`'s arguments: rows built as `insert` builds them, keys distinct. */
export function upsertItems(
  entity: EntityMeta,
  rows: unknown,
  options: unknown,
  now: Date,
): { key: string[]; items: UpsertItem[] } {
  if (!Array.isArray(rows)) throw new ValidationError('upsertMany takes an array');
  const { on, update } = plainObject(options, 'upsertMany options');
  const key = uniqueKey(entity, typeof on === 'string' ? [on] : Array.isArray(on) ? on : []);
  const callerFields = entity.fieldNames.filter((n) => !MANAGED_KINDS.has(entity.fields[n]!.kind));
  let fields = callerFields.filter((n) => !key.includes(n));
  if (update !== undefined) {
    if (!Array.isArray(update)) throw new ValidationError('upsertMany update must list field names');
    for (const name of update) {
      if (!callerFields.includes(name as string))
        throw new ValidationError(`${String(name)} is not a caller-owned field of ${entity.name}`);
    }
    keyChange(key, Object.fromEntries(update.map((n) => [n, true])));
    fields = [...(update as string[])];
  }
  const seen = new Set<string>();
  const items = rows.map((input) => {
    const insert = buildInsertRow(entity, input, now);
    checkKeyValues(entity, key, insert);
    const identity = JSON.stringify(key.map((name) => insert[name]));
    if (seen.has(identity))
      throw new ValidationError(`upsertMany got two rows with the same ${key.join(', ')}`, [
        { field: key[0]!, message: 'duplicate key in one call' },
      ]);
    seen.add(identity);
    return { insert, set: Object.fromEntries(fields.map((name) => [name, insert[name]])) };
  });
  return { key, items };
}
