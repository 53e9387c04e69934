import { ValidationError } from '../errors/validation-error.js';
import type { EntityMeta, IndexMeta } from './entity-meta.js';
import type { EntityShape, FieldsOf, RelationMap, RelationsOf } from './entity-shape.js';
import { type Field, type FieldKind, type FieldMeta, MANAGED_KINDS } from './field.js';
import { splitRelations } from './split-relations.js';

export type { EntityMeta, IndexMeta } from './entity-meta.js';

/** The shape of an entity's field map. */
export type FieldMap = Record<string, Field<unknown, boolean, FieldKind>>;

/** Names that would collide with filter combinators, or that backends reserve. */
const RESERVED_NAMES = new Set(['and', 'or', 'not', '_id', '__proto__', 'constructor', 'prototype']);
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
/**
 * Field names berth's own queries use as aliases beside an entity's columns (a many-to-many read's
 * `berth_parent` / `berth_target`, a per-group read's `berth_row_number`): a field of such a name would
 * clash with them. Any case, since MariaDB's column names are case-insensitive.
 */
const RESERVED_PREFIX = /^berth_/i;

/** What `defineEntity` takes besides the name and fields. */
export interface EntityOptions<F extends FieldMap> {
  /** Compound indexes, each a list of field names; `unique: true` makes it a unique constraint. */
  indexes?: ReadonlyArray<{
    /** The indexed fields, in index order; each at most once. */
    fields: ReadonlyArray<keyof F & string>;
    /** A unique constraint over the fields together (default false: a plain index). */
    unique?: boolean;
    /** The index's database name (default `<table>_<fields joined by _>_key`, or `_idx` when not unique). */
    name?: string;
  }>;
}

/** An entity definition: the runtime metadata plus the inferred row types. */
export interface Entity<
  Name extends string = string,
  F extends FieldMap = FieldMap,
  R extends RelationMap = RelationMap,
> extends EntityMeta {
  readonly name: Name;
  /** Phantom: the declared fields, for type inference only. */
  readonly __fields: F;
  /** Phantom: the declared relations, for type inference only. */
  readonly __relations: R;
}

type FieldType<X> = X extends Field<infer T, boolean, FieldKind> ? T : never;
type IsOptional<X> = X extends Field<unknown, infer O, FieldKind> ? O : false;
type KindOf<X> = X extends Field<unknown, boolean, infer K> ? K : never;
/** Fields the data layer sets: an id it or the database makes (not a supplied one), version, timestamps. */
type ManagedKeys<F extends FieldMap> = {
  [K in keyof F]: KindOf<F[K]> extends 'version' | 'createdAt' | 'updatedAt'
    ? K
    : KindOf<F[K]> extends 'id'
      ? IsOptional<F[K]> extends true
        ? K
        : never
      : never;
}[keyof F];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A stored row of entity `E`. */
export type RowOf<E extends Entity> = Simplify<{
  -readonly [K in keyof E['__fields']]: FieldType<E['__fields'][K]>;
}>;

type InsertFields<F extends FieldMap> = Omit<F, ManagedKeys<F>>;
/** What an insert takes: managed fields are omitted, fields with defaults or nullable ones are optional. */
export type InsertOf<E extends Entity> = Simplify<
  {
    [K in keyof InsertFields<E['__fields']> as IsOptional<E['__fields'][K]> extends true
      ? never
      : K]: FieldType<E['__fields'][K]>;
  } & {
    [K in keyof InsertFields<E['__fields']> as IsOptional<E['__fields'][K]> extends true
      ? K
      : never]?: FieldType<E['__fields'][K]>;
  }
>;
/** What an update takes: any subset of the caller-owned fields (never the id, even a supplied one). */
export type PatchOf<E extends Entity> = Simplify<{
  [K in Exclude<keyof InsertFields<E['__fields']>, 'id'>]?: FieldType<E['__fields'][K]>;
}>;

/** The type of `E`'s primary key: a string (UUIDv7 or supplied) or a number (database-generated). */
export type IdOf<E extends Entity> = FieldType<E['__fields']['id']>;

/** Field names of `E` that can be filtered and sorted on (JSON, decimal and bytes fields cannot). */
export type QueryableField<E extends Entity> = {
  [K in keyof E['__fields']]: KindOf<E['__fields'][K]> extends 'json' | 'decimal' | 'bytes' ? never : K;
}[keyof E['__fields']] &
  string;

/**
 * Defines an entity once; its row, insert and patch types are inferred (`RowOf`, `InsertOf`, `PatchOf`).
 * It must have an `id` field of kind `id`; at most one field of each of `version`, `createdAt`, `updatedAt`.
 * Throws `ValidationError` at definition time for a malformed definition, so mistakes surface at start-up.
 */
export function defineEntity<const Name extends string, S extends EntityShape>(
  name: Name,
  shape: S,
  options: EntityOptions<FieldsOf<S>> = {},
): Entity<Name, FieldsOf<S>, RelationsOf<S>> {
  if (!NAME_PATTERN.test(name)) throw new ValidationError(`invalid entity name "${name}"`);
  // Relations are declared among the fields; a belongsTo adds its foreign-key field (docs/relations.md).
  const { fields, relations } = splitRelations(name, shape);
  const fieldNames = Object.keys(fields);
  const metas: Record<string, FieldMeta> = {};
  const single: Partial<Record<'version' | 'createdAt' | 'updatedAt', string>> = {};
  for (const fieldName of fieldNames) {
    if (!NAME_PATTERN.test(fieldName) || RESERVED_NAMES.has(fieldName)) {
      throw new ValidationError(`entity "${name}": invalid field name "${fieldName}"`);
    }
    if (RESERVED_PREFIX.test(fieldName)) {
      const reason =
        'names beginning with "berth_" (in any case) are reserved for the aliases of berth\'s own queries';
      throw new ValidationError(`entity "${name}": field name "${fieldName}" is reserved: ${reason}`, [
        { field: fieldName, message: reason },
      ]);
    }
    const meta = fields[fieldName]!.meta;
    metas[fieldName] = meta;
    if (meta.kind === 'version' || meta.kind === 'createdAt' || meta.kind === 'updatedAt') {
      if (single[meta.kind]) throw new ValidationError(`entity "${name}": more than one ${meta.kind} field`);
      single[meta.kind] = fieldName;
    }
    if (meta.kind === 'id' && fieldName !== 'id') {
      throw new ValidationError(`entity "${name}": the id field must be named "id"`);
    }
    if (MANAGED_KINDS.has(meta.kind) && (meta.nullable || meta.hasDefault)) {
      throw new ValidationError(
        `entity "${name}": managed field "${fieldName}" cannot be nullable or defaulted`,
      );
    }
  }
  if (metas.id?.kind !== 'id')
    throw new ValidationError(`entity "${name}": an "id" field of kind id is required`);

  const indexes: IndexMeta[] = [];
  for (const fieldName of fieldNames) {
    const meta = metas[fieldName]!;
    if (meta.kind === 'id') continue;
    if (meta.unique) indexes.push({ name: `${name}_${fieldName}_key`, fields: [fieldName], unique: true });
    else if (meta.indexed)
      indexes.push({ name: `${name}_${fieldName}_idx`, fields: [fieldName], unique: false });
  }
  for (const index of options.indexes ?? []) {
    if (index.fields.length === 0) throw new ValidationError(`entity "${name}": index without fields`);
    for (const [i, f] of index.fields.entries()) {
      if (!Object.hasOwn(metas, f))
        throw new ValidationError(`entity "${name}": index on unknown field "${f}"`);
      if (index.fields.indexOf(f) !== i)
        throw new ValidationError(`entity "${name}": index lists field "${f}" twice`);
    }
    const suffix = index.unique ? 'key' : 'idx';
    const indexName = index.name ?? `${name}_${index.fields.join('_')}_${suffix}`;
    // Names identify the index in constraint errors and in the schema: two with one name cannot both exist.
    if (indexes.some((other) => other.name === indexName))
      throw new ValidationError(`entity "${name}": two indexes named "${indexName}"`);
    indexes.push({ name: indexName, fields: [...index.fields], unique: index.unique ?? false });
  }

  return Object.freeze({
    name,
    fields: Object.freeze(metas),
    fieldNames: Object.freeze(fieldNames),
    versionField: single.version,
    createdAtField: single.createdAt,
    updatedAtField: single.updatedAt,
    indexes: Object.freeze(indexes),
    // Not frozen: `defineRelations` adds the inverse sides once every entity of a cycle exists.
    relations,
  }) as unknown as Entity<Name, FieldsOf<S>, RelationsOf<S>>;
}
