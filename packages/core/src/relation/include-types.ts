import type { Entity, RowOf } from '../entity/define-entity.js';
import type { OrderKey, Where } from '../query/where.js';
import type { BelongsTo, HasMany, HasOne, ManyToMany } from '../entity/relation-definitions.js';

/** The entity a relation declaration points at. */
export type RelationTarget<R> =
  R extends BelongsTo<infer T extends Entity, boolean>
    ? T
    : R extends HasMany<infer T extends Entity>
      ? T
      : R extends HasOne<infer T extends Entity>
        ? T
        : R extends ManyToMany<infer T extends Entity>
          ? T
          : never;

/** Relation names of entity `E`. */
export type RelationName<E extends Entity> = keyof E['__relations'] & string;

/**
 * How one relation is loaded: its own relations (`include`, to any depth), a filter and an order on the
 * related rows, and, on to-many relations, the most rows per parent (`limit`).
 */
export interface IncludeOptions<T extends Entity> {
  /** The related rows' own relations to load with them, to any depth. */
  include?: Include<T>;
  /** Only related rows matching this are loaded (to-many relations only: a `ValidationError` on a to-one). */
  where?: Where<T>;
  /** The order of each parent's related rows (to-many relations only), `id` last as tiebreaker; default: by `id`. */
  orderBy?: OrderKey<T> | readonly OrderKey<T>[];
  /** Most related rows per parent (to-many relations only), 1..10 000. */
  limit?: number;
}

/** The relations to load with a read: `{ lines: { include: { product: true } } }`. */
export type Include<E extends Entity> = {
  readonly [K in RelationName<E>]?: true | IncludeOptions<RelationTarget<E['__relations'][K]>>;
};

/**
 * `I` with every key that names no relation turned into `never`, at every depth, so a typo in a relation
 * name does not compile.
 */
export type ExactInclude<E extends Entity, I> = I & {
  readonly [K in Exclude<keyof I, RelationName<E>>]: never;
} & {
  readonly [K in keyof I & RelationName<E>]: I[K] extends {
    /** The nested relations the caller gave. */
    include: infer N;
  }
    ? {
        /** The nested relations, checked the same way. */
        include?: ExactInclude<RelationTarget<E['__relations'][K]>, N>;
      }
    : unknown;
};

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type NestedOf<S> = S extends { include: infer N } ? N : undefined;

/** The value a loaded relation holds: a row (or null) for to-one relations, an array for to-many. */
type LoadedValue<R, S> =
  R extends BelongsTo<infer T extends Entity, boolean>
    ? LoadedRow<T, NestedOf<S>> | ([R['__nullable']] extends [true] ? null : never)
    : R extends HasOne<infer T extends Entity>
      ? LoadedRow<T, NestedOf<S>> | null
      : R extends HasMany<infer T extends Entity>
        ? LoadedRow<T, NestedOf<S>>[]
        : R extends ManyToMany<infer T extends Entity>
          ? LoadedRow<T, NestedOf<S>>[]
          : never;

/** The relations `I` loads on a row of `E`, typed as loaded. */
export type LoadedRelations<E extends Entity, I> = {
  -readonly [K in keyof I & RelationName<E>]: LoadedValue<E['__relations'][K], I[K]>;
};

/**
 * A row of `E` with the relations `I` loaded: `LoadedRow<typeof Order, { lines: { include: { product: true } } }>`.
 * Relations not in `I` are not on the type, so an unloaded relation cannot be read by accident.
 */
export type LoadedRow<E extends Entity, I = undefined> = [I] extends [undefined]
  ? RowOf<E>
  : Simplify<RowOf<E> & LoadedRelations<E, I>>;

/** `Row` (a whole or selected row of `E`) with the relations `I` loaded. */
export type WithIncluded<Row, E extends Entity, I> = [I] extends [undefined]
  ? Row
  : Simplify<Row & LoadedRelations<E, I>>;
