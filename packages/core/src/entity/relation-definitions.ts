import type { CascadeKind } from './cascade-kind.js';
// Targets are bounded by the run-time description, not the typed `Entity` (define-entity.ts), which is built
// from these declarations: the readers of a target's types (`Where`, `Include`) infer it as an `Entity`.
import type { EntityMeta, ReferentialAction } from './entity-meta.js';

/** Options of `belongsTo`. */
export interface BelongsToOptions<Nullable extends boolean = false, Cascade extends 'persist' = never> {
  /** What deleting the referenced row does to this one (default `'restrict'`). */
  onDelete?: ReferentialAction;
  /** The reference may be absent (`null`); required for `onDelete: 'setNull'`. Default false. */
  nullable?: Nullable;
  /** At most one row may reference a given target (a one-to-one relation's owning side). Default false. */
  unique?: boolean;
  /**
   * `['persist']`: a unit of work's `persist` takes the target as a nested object under the relation's name
   * and persists it too, filling in the foreign key (docs/relations.md, "Cascades"). Off by default.
   * `remove` does not cascade up a `belongsTo`: removing a row never removes what it references.
   */
  cascade?: readonly Cascade[];
}

/** Options of `hasMany` and `hasOne`. */
export interface InverseOptions<Cascade extends CascadeKind = never> {
  /**
   * What a unit of work does to the related rows with the parent (docs/relations.md, "Cascades"); off by
   * default. `persist`: `persist` takes the children as nested data under the relation's name (an array for
   * `hasMany`, an object for `hasOne`) and persists them, their foreign key set to the parent. `remove`:
   * removing the parent removes its children at the next flush, read in one batched query per relation
   * per level, deleted before the parent in the same transaction.
   */
  cascade?: readonly Cascade[];
}

/**
 * A many-to-one relation declared in `defineEntity`'s field map. `defineEntity` stores it as a field named
 * after the relation with `Id` appended (`author` → `authorId`), holding the target's id.
 */
export class BelongsTo<
  Target extends EntityMeta = EntityMeta,
  Nullable extends boolean = boolean,
  Cascade extends 'persist' = 'persist',
> {
  /** Phantom: the nullability, for type inference only. */
  declare readonly __nullable: Nullable;
  /** Phantom: the cascades declared, for type inference only. */
  declare readonly __cascade: Cascade;
  /** Tells the relation kinds apart at run time (`defineEntity` splits relations from fields by it). */
  readonly relationKind = 'belongsTo';
  constructor(
    /** The related entity; a thunk, so entity files may import each other. */
    readonly target: () => Target,
    /** The options given to `belongsTo` (`onDelete`, `nullable`, `unique`, `cascade`). */
    readonly options: BelongsToOptions<Nullable, Cascade>,
  ) {}
}

/**
 * What `HasMany` and `HasOne` share: the inverse side of the target's `belongsTo` named `inverse`, stored
 * nowhere. The two differ only in `relationKind` (how many rows a load gives), which the type readers
 * (`Include`, `Where`) match on, so each keeps its own literal.
 */
export abstract class InverseRelation<
  Target extends EntityMeta = EntityMeta,
  Inverse extends string = string,
  Cascade extends CascadeKind = CascadeKind,
> {
  /** Phantom: the cascades declared, for type inference only. */
  declare readonly __cascade: Cascade;
  /** Tells the relation kinds apart at run time (`defineEntity` splits relations from fields by it). */
  abstract readonly relationKind: 'hasMany' | 'hasOne';
  constructor(
    /** The related entity; a thunk, so entity files may import each other. */
    readonly target: () => Target,
    /**
     * The name of the target's `belongsTo` relation that points back at the declaring entity (declared
     * `unique` for a `hasOne`).
     */
    readonly inverse: Inverse,
    /** The options given to `hasMany` or `hasOne` (`cascade`); empty by default. */
    readonly options: InverseOptions<Cascade> = {},
  ) {}
}

/** A one-to-many relation: the inverse of the target's `belongsTo` named `inverse`. Stored nowhere. */
export class HasMany<
  Target extends EntityMeta = EntityMeta,
  Inverse extends string = string,
  Cascade extends CascadeKind = CascadeKind,
> extends InverseRelation<Target, Inverse, Cascade> {
  /** Tells the relation kinds apart at run time (`defineEntity` splits relations from fields by it). */
  readonly relationKind = 'hasMany';
}

/**
 * A one-to-one relation's inverse side: the target's `belongsTo` named `inverse` (declare it `unique`).
 * Loads the target row, or null.
 */
export class HasOne<
  Target extends EntityMeta = EntityMeta,
  Inverse extends string = string,
  Cascade extends CascadeKind = CascadeKind,
> extends InverseRelation<Target, Inverse, Cascade> {
  /** Tells the relation kinds apart at run time (`defineEntity` splits relations from fields by it). */
  readonly relationKind = 'hasOne';
}

/** Options of `manyToMany`: the join entity and the names of its two `belongsTo` relations. */
export interface ManyToManyOptions<Join extends EntityMeta = EntityMeta> {
  /** The join entity, as a thunk (entity files may import each other). */
  through: () => Join;
  /** The join entity's relation pointing at the entity that declares this relation. */
  from: string;
  /** The join entity's relation pointing at the target. */
  to: string;
}

/** A many-to-many relation through an explicit join entity (which may carry fields of its own). */
export class ManyToMany<Target extends EntityMeta = EntityMeta> {
  /** Tells the relation kinds apart at run time (`defineEntity` splits relations from fields by it). */
  readonly relationKind = 'manyToMany';
  constructor(
    /** The related entity; a thunk, so entity files may import each other. */
    readonly target: () => Target,
    /** The join entity and the names of its two `belongsTo` relations. */
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
export function belongsTo<
  Target extends EntityMeta,
  Nullable extends boolean = false,
  const Cascade extends 'persist' = never,
>(
  target: () => Target,
  options: BelongsToOptions<Nullable, Cascade> = {},
): BelongsTo<Target, NoInfer<Nullable>, NoInfer<Cascade>> {
  return new BelongsTo(target, options);
}

/**
 * A one-to-many relation: `hasMany(() => Post, 'author')` where `Post` declares `author: belongsTo(...)`;
 * `hasMany(() => Post, 'author', { cascade: ['persist', 'remove'] })` cascades unit-of-work writes.
 */
export function hasMany<
  Target extends EntityMeta,
  const Inverse extends string,
  const Cascade extends CascadeKind = never,
>(
  target: () => Target,
  inverse: Inverse,
  options: InverseOptions<Cascade> = {},
): HasMany<Target, Inverse, NoInfer<Cascade>> {
  return new HasMany(target, inverse, options);
}

/** A one-to-one relation's inverse side: `hasOne(() => Profile, 'user')`; `options.cascade` as for `hasMany`. */
export function hasOne<
  Target extends EntityMeta,
  const Inverse extends string,
  const Cascade extends CascadeKind = never,
>(
  target: () => Target,
  inverse: Inverse,
  options: InverseOptions<Cascade> = {},
): HasOne<Target, Inverse, NoInfer<Cascade>> {
  return new HasOne(target, inverse, options);
}

/**
 * A many-to-many relation through an explicit join entity:
 * `manyToMany(() => Tag, { through: () => PostTag, from: 'post', to: 'tag' })`.
 */
export function manyToMany<Target extends EntityMeta>(
  target: () => Target,
  options: ManyToManyOptions,
): ManyToMany<Target> {
  return new ManyToMany(target, options);
}
