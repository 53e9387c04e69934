import type { Entity, RowOf } from '../../entity/define-entity.js';
import type { CompareOp } from '../condition.js';
import type { QueryableField } from '../../entity/define-entity.js';
import type { Where } from '../where.js';

type KindOf<X> = X extends { __kind: infer K } ? K : never;
type FieldsOfKind<E extends Entity, K> = {
  [F in keyof E['__fields']]: KindOf<E['__fields'][F]> extends K ? F : never;
}[keyof E['__fields']] &
  string;

/** Fields `sum` and `avg` apply to: integers and numbers. */
export type NumericField<E extends Entity> = FieldsOfKind<E, 'integer' | 'number'>;
/** Fields `min` and `max` apply to: numbers, strings, ids, versions and datetimes. */
export type OrderedField<E extends Entity> = FieldsOfKind<
  E,
  'integer' | 'number' | 'string' | 'id' | 'version' | 'datetime' | 'createdAt' | 'updatedAt'
>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Comparison<T> = { readonly [O in CompareOp]?: T };

/** Conditions on computed values, kept after grouping: `{ count: { gte: 2 }, sum: { salary: { gt: 1e6 } } }`. */
export interface Having<E extends Entity> {
  /** The number of rows of the group, compared as in a `where`. */
  count?: Comparison<number>;
  /** The sum of a numeric field, by field name. */
  sum?: { readonly [F in NumericField<E>]?: Comparison<number> };
  /** The average of a numeric field, by field name. */
  avg?: { readonly [F in NumericField<E>]?: Comparison<number> };
  /** The smallest value of a field, by field name (compared in the field's type). */
  min?: { readonly [F in OrderedField<E>]?: Comparison<NonNullable<RowOf<E>[F]>> };
  /** The largest value of a field, by field name (compared in the field's type). */
  max?: { readonly [F in OrderedField<E>]?: Comparison<NonNullable<RowOf<E>[F]>> };
}

/** A sort key of grouped results: a group field, `count`, or `<fn>.<field>`; `-` in front for descending. */
export type AggregateOrderKey<E extends Entity> =
  | QueryableField<E>
  | 'count'
  | `${'sum' | 'avg'}.${NumericField<E>}`
  | `${'min' | 'max'}.${OrderedField<E>}`;

/** What `Repository.aggregate` takes. See docs/queries.md for the numeric rules. */
export interface AggregateOptions<
  E extends Entity,
  G extends QueryableField<E> = never,
  C extends boolean = false,
  Su extends NumericField<E> = never,
  Av extends NumericField<E> = never,
  Mi extends OrderedField<E> = never,
  Ma extends OrderedField<E> = never,
> {
  /** Which rows are grouped; default: every row. */
  where?: Where<E>;
  /** Group fields; without them every matching row is one group (and exactly one result row comes back). */
  groupBy?: readonly G[];
  /** Count the rows of each group. */
  count?: C;
  /** Sum each field (nulls ignored; 0 over no values). Integer sums beyond 2^53-1 raise `DatabaseError`. */
  sum?: readonly Su[];
  /** Average each field as a double (nulls ignored; null over no values). */
  avg?: readonly Av[];
  /** Smallest value of each field (nulls ignored; null over no values). */
  min?: readonly Mi[];
  /** Largest value of each field (nulls ignored; null over no values). */
  max?: readonly Ma[];
  /** Conditions on the computed values: a group is returned only when it meets them all (`HAVING`). */
  having?: Having<E>;
  /** Sort keys; the non-nullable group fields are appended, so the order is total. */
  orderBy?:
    | AggregateOrderKey<E>
    | `-${AggregateOrderKey<E>}`
    | ReadonlyArray<AggregateOrderKey<E> | `-${AggregateOrderKey<E>}`>;
  /** The most groups to return (1..10 000). */
  limit?: number;
}

/** One result row of `aggregate`: the group fields, then `count`, `sum`, `avg`, `min`, `max` as requested. */
export type AggregateRow<
  E extends Entity,
  G extends QueryableField<E>,
  C extends boolean,
  Su extends NumericField<E>,
  Av extends NumericField<E>,
  Mi extends OrderedField<E>,
  Ma extends OrderedField<E>,
> = Simplify<
  Pick<RowOf<E>, G> &
    (C extends true
      ? {
          /** The number of rows in the group (of every matching row, without `groupBy`). */
          count: number;
        }
      : unknown) &
    ([Su] extends [never]
      ? unknown
      : {
          /** Each summed field's sum over the group, nulls ignored; 0 over no values. */
          sum: { [F in Su]: number };
        }) &
    ([Av] extends [never]
      ? unknown
      : {
          /** Each averaged field's mean over the group as a double, nulls ignored; null over no values. */
          avg: { [F in Av]: number | null };
        }) &
    ([Mi] extends [never]
      ? unknown
      : {
          /** Each field's smallest value in the group, nulls ignored; null over no values. */
          min: { [F in Mi]: NonNullable<RowOf<E>[F]> | null };
        }) &
    ([Ma] extends [never]
      ? unknown
      : {
          /** Each field's largest value in the group, nulls ignored; null over no values. */
          max: { [F in Ma]: NonNullable<RowOf<E>[F]> | null };
        })
>;
