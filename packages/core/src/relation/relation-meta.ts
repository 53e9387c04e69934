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
  readonly onDelete: ReferentialAction;
  /** The constraint's name: `<table>_<field>_fkey`, shortened by SQL dialects where too long. */
  readonly name: string;
}

/**
 * Many-to-one: the entity stores the target's id in `foreignKey` (a field added by `defineEntity`, named
 * after the relation with `Id` appended).
 */
export interface BelongsToMeta {
  readonly kind: 'belongsTo';
  /** The referenced entity; a thunk, so entity files may cycle. */
  readonly target: () => EntityMeta;
  readonly foreignKey: string;
  readonly nullable: boolean;
  readonly onDelete: ReferentialAction;
  /** The cascades declared (`persist` at most on this side); absent or empty: none. */
  readonly cascade?: readonly CascadeKind[];
}

/**
 * One-to-many (`hasMany`) or one-to-one (`hasOne`): the inverse side of the target's `belongsTo`
 * relation named `inverse`. Stored nowhere.
 */
export interface HasManyMeta {
  readonly kind: 'hasMany' | 'hasOne';
  /** The entity whose `belongsTo` points back here; a thunk, so entity files may cycle. */
  readonly target: () => EntityMeta;
  readonly inverse: string;
  /** The cascades declared; absent or empty: none. */
  readonly cascade?: readonly CascadeKind[];
}

/**
 * Many-to-many through an explicit join entity: `through` has a `belongsTo` relation `from` pointing back
 * at this entity and one named `to` pointing at `target`. The join rows may carry fields of their own.
 */
export interface ManyToManyMeta {
  readonly kind: 'manyToMany';
  /** The entity at the far end of the join; a thunk, so entity files may cycle. */
  readonly target: () => EntityMeta;
  /** The join entity; a thunk, so entity files may cycle. */
  readonly through: () => EntityMeta;
  readonly from: string;
  readonly to: string;
  /** Never set: a many-to-many relation cascades through its join entity's relations instead. */
  readonly cascade?: undefined;
}

/** A relation as the loader and adapters read it. */
export type RelationMeta = BelongsToMeta | HasManyMeta | ManyToManyMeta;
