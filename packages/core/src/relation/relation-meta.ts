import type { EntityMeta } from '../entity/define-entity.js';
import type { CascadeKind } from './cascade/cascade-kind.js';

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
