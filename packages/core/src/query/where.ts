import type { Entity, QueryableField, RowOf } from '../entity/define-entity.js';

/** Operators on one field. Several in one object are joined with AND. */
export interface FieldFilter<T> {
  eq?: T;
  /** Matches every row whose value differs, rows holding `null` included. */
  ne?: T;
  gt?: T;
  gte?: T;
  lt?: T;
  lte?: T;
  in?: readonly T[];
  /** Matches every row whose value is none of these, rows holding `null` included. */
  notIn?: readonly T[];
  /** Substring match, case-sensitive, on string fields. `%` and `_` are literal characters. */
  contains?: T extends string ? string : never;
  /** Prefix match, case-sensitive, on string fields. */
  startsWith?: T extends string ? string : never;
  /** Suffix match, case-sensitive, on string fields. */
  endsWith?: T extends string ? string : never;
  /**
   * `'insensitive'` makes this filter's `contains`, `startsWith` and `endsWith` ignore the case of ASCII
   * letters (A-Z); any other character matches only itself, on every backend. Default `'sensitive'`.
   */
  mode?: T extends string ? 'sensitive' | 'insensitive' : never;
  /** `[low, high]`, both included: the same as `{ gte: low, lte: high }`. */
  between?: readonly [T, T];
  /** Matches every row the inner filter does not match (rows holding `null` included). */
  not?: T | FieldFilter<T>;
  /** `true`: the value is null; `false`: it is not. */
  isNull?: boolean;
}

/**
 * A filter on entity `E`: each key is a field, holding a value (equality; `null` means "is null") or a
 * `FieldFilter`; `and`, `or` and `not` combine filters. Only declared, non-JSON fields are accepted.
 *
 * ```ts
 * { department: 'eng', salary: { gte: 100_000 }, or: [{ active: true }, { hiredAt: { gt: cutoff } }] }
 * ```
 */
export type Where<E extends Entity> = {
  [K in QueryableField<E>]?: RowOf<E>[K] | FieldFilter<NonNullable<RowOf<E>[K]>>;
} & {
  and?: readonly Where<E>[];
  or?: readonly Where<E>[];
  not?: Where<E>;
};

/** A sort key: a field name, ascending, or `-` and the field name, descending. */
export type OrderKey<E extends Entity> = QueryableField<E> | `-${QueryableField<E>}`;
