import type { IdStrategy } from '../id/id-strategy.js';
import type { CascadeKind } from './cascade-kind.js';

// The run-time description of an entity, its fields and its relations: what validation, the adapters and
// the migration differ read. The types refer to each other (a relation's target is an entity, whose fields
// may reference an entity), so they live in this one file, which imports nothing of the typed layer above.

/**
 * Field kinds an entity can declare. The kind decides the stored type on every backend, how values are
 * validated, and whether the data layer manages the value itself (`id`, `version`, `createdAt`, `updatedAt`).
 */
export type FieldKind =
  | 'id'
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'datetime'
  | 'json'
  | 'enum'
  | 'decimal'
  | 'bigint'
  | 'date'
  | 'bytes'
  | 'version'
  | 'createdAt'
  | 'updatedAt';

/** Everything a backend or validator needs to know about one field, free of type-level baggage. */
export interface FieldMeta {
  /**
   * What the field holds, which decides its column type, its validation and whether berth manages it (`id`,
   * `version`, `createdAt`, `updatedAt`).
   */
  readonly kind: FieldKind;
  /** Whether `null` is stored and accepted (`.nullable()`); false by default, so the column is `NOT NULL`. */
  readonly nullable: boolean;
  /**
   * Whether the field has a unique index of its own (`.unique()`), named `<table>_<field>_key`; a duplicate raises
   * `UniqueViolationError`.
   */
  readonly unique: boolean;
  /** Whether the field has a plain (non-unique) index of its own (`.index()`), named `<table>_<field>_idx`. */
  readonly indexed: boolean;
  /** Whether `.default(...)` was given: an insert may then omit the field, and `defaultValue` fills it in. */
  readonly hasDefault: boolean;
  /** A constant, or a function called once per inserted row (for example `() => new Date()`). */
  readonly defaultValue?: unknown;
  /** Minimum string length, or minimum numeric value. */
  readonly min?: number;
  /** Maximum string length, or maximum numeric value. For strings it also sizes the column. */
  readonly max?: number;
  /** Set on the foreign-key field of a `belongsTo` relation: what it references (see docs/relations.md). */
  readonly references?: ForeignKeyMeta;
  /**
   * The column's previous name: the migration differ renames that column instead of dropping it and adding
   * this one. Remove the hint once every database has been migrated.
   */
  readonly renamedFrom?: string;
  /** `enum`: the allowed values, in declaration order. */
  readonly values?: readonly string[];
  /** `decimal`: significant digits in all. */
  readonly precision?: number;
  /** `decimal`: digits after the decimal point. */
  readonly scale?: number;
  /** `id`: how the primary key is made (absent: `uuidv7`; see `IdStrategy`). */
  readonly idStrategy?: IdStrategy;
}

/** An index as every backend creates it. Names are deterministic so errors can be mapped back to fields. */
export interface IndexMeta {
  /**
   * The index's name in the database: given, or `<table>_<fields joined by _>_key` (unique) / `_idx`; constraint
   * errors are mapped back to fields by it.
   */
  readonly name: string;
  /** The indexed fields, in index order (the order matters for prefix use by queries). */
  readonly fields: readonly string[];
  /** Whether the index is a unique constraint; a duplicate then raises `UniqueViolationError` naming these fields. */
  readonly unique: boolean;
}

/**
 * The backend-neutral description of an entity that adapters compile against. Field names are the column
 * (or document key) names; `id` is stored as `_id` by document stores.
 */
export interface EntityMeta {
  /** Table or collection name. */
  readonly name: string;
  /** Every field's run-time description, by field name (the column or document key). */
  readonly fields: Readonly<Record<string, FieldMeta>>;
  /** Field names in declaration order. */
  readonly fieldNames: readonly string[];
  /**
   * The field of kind `version` (optimistic locking: bumped on every write, checked by the unit of work), if the
   * entity has one.
   */
  readonly versionField: string | undefined;
  /** The field of kind `createdAt`, set by berth on insert and never changed, if the entity has one. */
  readonly createdAtField: string | undefined;
  /**
   * The field of kind `updatedAt`, set by berth on insert and on every write that changes the row, if the entity has
   * one.
   */
  readonly updatedAtField: string | undefined;
  /** Every index the schema creates: each field's `.unique()`/`.index()`, then the compound `indexes` option. */
  readonly indexes: readonly IndexMeta[];
  /** Relations by name (see docs/relations.md); absent or empty when the entity declares none. */
  readonly relations?: Readonly<Record<string, RelationMeta>>;
}

/**
 * What happens to the rows that reference a row when that row is deleted: `cascade` deletes them,
 * `setNull` clears their reference (the relation must be nullable), `restrict` and `noAction` refuse the
 * delete while references exist. SQL backends enforce it with a foreign key; MongoDB does not (see
 * docs/relations.md).
 */
export type ReferentialAction = 'cascade' | 'restrict' | 'setNull' | 'noAction';

/** The foreign key a `belongsTo` relation stores, as the field's metadata carries it. */
export interface ForeignKeyMeta {
  /** The relation that owns this key. */
  readonly relation: string;
  /** The referenced entity (its `id` is the referenced key); a thunk, so entity files may cycle. */
  readonly target: () => EntityMeta;
  /**
   * What deleting the referenced row does to the referencing ones (`'restrict'` unless the relation says otherwise);
   * enforced by SQL backends only.
   */
  readonly onDelete: ReferentialAction;
  /** The constraint's name: `<table>_<field>_fkey`, shortened by SQL dialects where too long. */
  readonly name: string;
}

/**
 * Many-to-one: the entity stores the target's id in `foreignKey` (a field added by `defineEntity`, named
 * after the relation with `Id` appended).
 */
export interface BelongsToMeta {
  /** Tells the relation kinds apart. */
  readonly kind: 'belongsTo';
  /** The referenced entity; a thunk, so entity files may cycle. */
  readonly target: () => EntityMeta;
  /** The field holding the target's id: the relation's name with `Id` appended (`author` → `authorId`). */
  readonly foreignKey: string;
  /** Whether the foreign key may be null (the relation was declared `nullable: true`). */
  readonly nullable: boolean;
  /** What deleting the target row does to this one (default `'restrict'`). */
  readonly onDelete: ReferentialAction;
  /** The cascades declared (`persist` at most on this side); absent or empty: none. */
  readonly cascade?: readonly CascadeKind[];
}

/**
 * One-to-many (`hasMany`) or one-to-one (`hasOne`): the inverse side of the target's `belongsTo`
 * relation named `inverse`. Stored nowhere.
 */
export interface HasManyMeta {
  /** Tells the relation kinds apart: `hasOne` loads one row or null, `hasMany` an array. */
  readonly kind: 'hasMany' | 'hasOne';
  /** The entity whose `belongsTo` points back here; a thunk, so entity files may cycle. */
  readonly target: () => EntityMeta;
  /** The name of the target's `belongsTo` relation that points back here; its foreign key is what is read. */
  readonly inverse: string;
  /** The cascades declared; absent or empty: none. */
  readonly cascade?: readonly CascadeKind[];
}

/**
 * Many-to-many through an explicit join entity: `through` has a `belongsTo` relation `from` pointing back
 * at this entity and one named `to` pointing at `target`. The join rows may carry fields of their own.
 */
export interface ManyToManyMeta {
  /** Tells the relation kinds apart. */
  readonly kind: 'manyToMany';
  /** The entity at the far end of the join; a thunk, so entity files may cycle. */
  readonly target: () => EntityMeta;
  /** The join entity; a thunk, so entity files may cycle. */
  readonly through: () => EntityMeta;
  /** The join entity's `belongsTo` relation pointing back at this entity. */
  readonly from: string;
  /** The join entity's `belongsTo` relation pointing at `target`. */
  readonly to: string;
  /** Never set: a many-to-many relation cascades through its join entity's relations instead. */
  readonly cascade?: undefined;
}

/** A relation as the loader and adapters read it. */
export type RelationMeta = BelongsToMeta | HasManyMeta | ManyToManyMeta;
