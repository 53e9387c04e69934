import type { Entity, QueryableField, RowOf } from '../entity/define-entity.js';
import type { Field, FieldKind } from '../entity/field.js';
import type { BelongsTo, HasMany, HasOne, ManyToMany } from '../entity/relation-definitions.js';

/**
 * The operand of a text operator (`contains`, `startsWith`, `endsWith`) on a field of type `T` and kind
 * `K`: a string on string fields and string ids, `never` elsewhere. Enum and date-only fields hold strings
 * too, but the query refuses text matching on them at run time, so their filters refuse it at compile time.
 */
export type TextOperand<T, K extends FieldKind> = K extends 'string' | 'id'
  ? T extends string
    ? string
    : never
  : never;

/**
 * Operators on one field. Several in one object are joined with AND. `K` is the field's kind, which
 * decides whether the text operators apply (`Where` passes it; the default, any kind, keeps them open).
 */
export interface FieldFilter<T, K extends FieldKind = FieldKind> {
  /**
   * Matches rows whose value equals this one (a bare value, `{ field: v }`, means the same); never a row holding
   * `null`.
   */
  eq?: T;
  /** Matches every row whose value differs, rows holding `null` included. */
  ne?: T;
  /**
   * Matches rows whose value is greater: later for dates, after in the database's order for strings; never `null`.
   */
  gt?: T;
  /** Matches rows whose value is greater or equal; never `null`. */
  gte?: T;
  /** Matches rows whose value is less; never `null`. */
  lt?: T;
  /** Matches rows whose value is less or equal; never `null`. */
  lte?: T;
  /** Matches rows whose value is one of these (an empty list matches no row); never `null`. */
  in?: readonly T[];
  /** Matches every row whose value is none of these, rows holding `null` included. */
  notIn?: readonly T[];
  /** Substring match, case-sensitive, on string fields. `%` and `_` are literal characters. */
  contains?: TextOperand<T, K>;
  /** Prefix match, case-sensitive, on string fields. */
  startsWith?: TextOperand<T, K>;
  /** Suffix match, case-sensitive, on string fields. */
  endsWith?: TextOperand<T, K>;
  /**
   * `'insensitive'` makes this filter's `contains`, `startsWith` and `endsWith` ignore the case of ASCII
   * letters (A-Z); any other character matches only itself, on every backend. Default `'sensitive'`.
   */
  mode?: [TextOperand<T, K>] extends [never] ? never : 'sensitive' | 'insensitive';
  /** `[low, high]`, both included: the same as `{ gte: low, lte: high }`. */
  between?: readonly [T, T];
  /** Matches every row the inner filter does not match (rows holding `null` included). */
  not?: T | FieldFilter<T, K>;
  /** `true`: the value is null; `false`: it is not. */
  isNull?: boolean;
}

type KindOfField<X> = X extends Field<unknown, boolean, infer K> ? K : never;

/**
 * A filter on entity `E`: each key is a field, holding a value (equality; `null` means "is null") or a
 * `FieldFilter`; `and`, `or` and `not` combine filters. Only declared, non-JSON fields are accepted.
 *
 * ```ts
 * { department: 'eng', salary: { gte: 100_000 }, or: [{ active: true }, { hiredAt: { gt: cutoff } }] }
 * ```
 */
export type Where<E extends Entity> = {
  [K in QueryableField<E>]?:
    | RowOf<E>[K]
    | FieldFilter<NonNullable<RowOf<E>[K]>, KindOfField<E['__fields'][K]>>;
} & RelationWhere<E> & {
    /** Every one of these filters must match (the same as listing their keys in one object, without clashes). */
    and?: readonly Where<E>[];
    /** At least one of these filters must match; an empty list matches no row. */
    or?: readonly Where<E>[];
    /** The filter must not match; rows for which it fails because of a `null` are matched too. */
    not?: Where<E>;
  };

/**
 * A filter on a to-many relation: some related row matches, every one does (true with none), or none
 * does. Several are joined with AND.
 */
export interface ToManyFilter<T extends Entity> {
  /** Matches a row when at least one related row matches this (`{}`: has any related row). */
  some?: Where<T>;
  /** Matches a row when every related row matches this; true for a row with no related rows. */
  every?: Where<T>;
  /** Matches a row when no related row matches this (`{}`: has no related row). */
  none?: Where<T>;
}

/**
 * The filter a relation takes: the related row's `Where` (to-one) or `some` / `every` / `none` (to-many).
 * `object &` keeps a bare value (`{ author: 'Ada' }`) out: `Where` has only optional keys.
 */
export type RelationFilter<R> =
  R extends BelongsTo<infer T extends Entity, boolean>
    ? object & Where<T>
    : R extends HasOne<infer T extends Entity>
      ? object & Where<T>
      : R extends HasMany<infer T extends Entity>
        ? ToManyFilter<T>
        : R extends ManyToMany<infer T extends Entity>
          ? ToManyFilter<T>
          : never;

/**
 * Relation filters of `E`, by relation name: `{ author: { name: 'Ada' } }` keeps rows whose author exists
 * and is named Ada; `{ lines: { some: { quantity: { gte: 10 } } } }` rows with such a line. See
 * docs/relations.md.
 */
export type RelationWhere<E extends Entity> = {
  [K in keyof E['__relations'] & string]?: RelationFilter<E['__relations'][K]>;
};

/** A sort key: a field name, ascending, or `-` and the field name, descending. */
export type OrderKey<E extends Entity> = QueryableField<E> | `-${QueryableField<E>}`;
