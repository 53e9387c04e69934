import type { Entity } from '../entity/define-entity.js';
import type { ReferentialAction } from './relation-meta.js';

/** Options of `belongsTo`. */
export interface BelongsToOptions<Nullable extends boolean = false> {
  /** What deleting the referenced row does to this one (default `'restrict'`). */
  onDelete?: ReferentialAction;
  /** The reference may be absent (`null`); required for `onDelete: 'setNull'`. Default false. */
  nullable?: Nullable;
  /** At most one row may reference a given target (a one-to-one relation's owning side). Default false. */
  unique?: boolean;
}

/**
 * A many-to-one relation declared in `defineEntity`'s field map. `defineEntity` stores it as a field named
 * after the relation with `Id` appended (`author` → `authorId`), holding the target's id.
 */
export class BelongsTo<Target extends Entity = Entity, Nullable extends boolean = boolean> {
  /** Phantom: the nullability, for type inference only. */
  declare readonly __nullable: Nullable;
  readonly relationKind = 'belongsTo';
  constructor(
    /** The related entity; a thunk, so entity files may import each other. */
    readonly target: () => Target,
    readonly options: BelongsToOptions<Nullable>,
  ) {}
}

/** A one-to-many relation: the inverse of the target's `belongsTo` named `inverse`. Stored nowhere. */
export class HasMany<Target extends Entity = Entity> {
  readonly relationKind = 'hasMany';
  constructor(
    /** The related entity; a thunk, so entity files may import each other. */
    readonly target: () => Target,
    readonly inverse: string,
  ) {}
}

/**
 * A one-to-one relation's inverse side: the target's `belongsTo` named `inverse` (declare it `unique`).
 * Loads the target row, or null.
 */
export class HasOne<Target extends Entity = Entity> {
  readonly relationKind = 'hasOne';
  constructor(
    /** The related entity; a thunk, so entity files may import each other. */
    readonly target: () => Target,
    readonly inverse: string,
  ) {}
}

/** Options of `manyToMany`: the join entity and the names of its two `belongsTo` relations. */
export interface ManyToManyOptions<Join extends Entity = Entity> {
  /** The join entity, as a thunk (entity files may import each other). */
  through: () => Join;
  /** The join entity's relation pointing at the entity that declares this relation. */
  from: string;
  /** The join entity's relation pointing at the target. */
  to: string;
}

/** A many-to-many relation through an explicit join entity (which may carry fields of its own). */
export class ManyToMany<Target extends Entity = Entity> {
  readonly relationKind = 'manyToMany';
  constructor(
    /** The related entity; a thunk, so entity files may import each other. */
    readonly target: () => Target,
    readonly options: ManyToManyOptions,
  ) {}
}

/** Any relation declaration. */
export type RelationDefinition = BelongsTo | HasMany | HasOne | ManyToMany;

/**
 * A many-to-one relation, stored as a foreign key field `<name>Id` (see `BelongsTo`). The thunk lets two
 * entity files refer to each other.
 *
 * ```ts
 * const Post = defineEntity('posts', { id: field.id(), author: belongsTo(() => Author, { onDelete: 'cascade' }) });
 * ```
 */
export function belongsTo<Target extends Entity, Nullable extends boolean = false>(
  target: () => Target,
  options: BelongsToOptions<Nullable> = {},
): BelongsTo<Target, NoInfer<Nullable>> {
  return new BelongsTo(target, options);
}

/** A one-to-many relation: `hasMany(() => Post, 'author')` where `Post` declares `author: belongsTo(...)`. */
export function hasMany<Target extends Entity>(target: () => Target, inverse: string): HasMany<Target> {
  return new HasMany(target, inverse);
}

/** A one-to-one relation's inverse side: `hasOne(() => Profile, 'user')`. */
export function hasOne<Target extends Entity>(target: () => Target, inverse: string): HasOne<Target> {
  return new HasOne(target, inverse);
}

/**
 * A many-to-many relation through an explicit join entity:
 * `manyToMany(() => Tag, { through: () => PostTag, from: 'post', to: 'tag' })`.
 */
export function manyToMany<Target extends Entity>(
  target: () => Target,
  options: ManyToManyOptions,
): ManyToMany<Target> {
  return new ManyToMany(target, options);
}
