import type { Entity, InsertOf } from '../../entity/define-entity.js';
import type { RelationName } from '../include-types.js';
import type { BelongsTo, HasMany, HasOne } from '../../entity/relation-definitions.js';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The cascades a relation declaration carries (never for none). */
type CascadeOf<R> = R extends { readonly __cascade: unknown } ? R['__cascade'] : never;

/** Relations of `E` that declare `cascade: ['persist', ...]`. */
export type PersistRelationName<E extends Entity> = {
  [K in RelationName<E>]: 'persist' extends CascadeOf<E['__relations'][K]> ? K : never;
}[RelationName<E>];

/** The foreign keys of `E`'s `belongsTo` relations that cascade persist: optional, the nested object fills them. */
type CascadedForeignKey<E extends Entity> = {
  [K in PersistRelationName<E>]: E['__relations'][K] extends BelongsTo ? `${K}Id` : never;
}[PersistRelationName<E>];

/** What a cascading relation takes in `persist`: an object to-one, an array to-many. */
type CascadeValue<R> =
  R extends BelongsTo<infer T extends Entity, boolean, 'persist'>
    ? PersistGraph<T>
    : R extends HasOne<infer T extends Entity, infer Inverse, 'persist' | 'remove'>
      ? ChildGraph<T, Inverse>
      : R extends HasMany<infer T extends Entity, infer Inverse, 'persist' | 'remove'>
        ? readonly ChildGraph<T, Inverse>[]
        : never;

/** A child given under its parent: its foreign key to the parent is filled in, so it is not given. */
type ChildGraph<T extends Entity, Inverse extends string> = Simplify<
  Omit<PersistGraph<T>, `${Inverse}Id` | Inverse>
>;

/**
 * What a unit of work's `persist` takes for `E`: the insert data (`InsertOf<E>`) plus, under the name of
 * each relation declaring `cascade: ['persist']`, the new related rows to persist with it (an object for
 * `belongsTo` and `hasOne`, whose foreign key then need not be given; an array for `hasMany`), to any
 * depth. A relation that does not cascade persist is a compile error.
 */
export type PersistGraph<E extends Entity> = Simplify<
  Omit<InsertOf<E>, CascadedForeignKey<E>> &
    Partial<Pick<InsertOf<E>, CascadedForeignKey<E> & keyof InsertOf<E>>> & {
      [K in PersistRelationName<E>]?: CascadeValue<E['__relations'][K]>;
    }
>;
