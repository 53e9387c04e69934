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
  count?: Comparison<number>;
  sum?: { readonly [F in NumericField<E>]?: Comparison<number> };
  avg?: { readonly [F in NumericField<E>]?: Comparison<number> };
  min?: { readonly [F in OrderedField<E>]?: Comparison<NonNullable<RowOf<E>[F]>> };
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
    (C extends true ? { count: number } : unknown) &
    ([Su] extends [never] ? unknown : { sum: { [F in Su]: number } }) &
    ([Av] extends [never] ? unknown : { avg: { [F in Av]: number | null } }) &
    ([Mi] extends [never] ? unknown : { min: { [F in Mi]: NonNullable<RowOf<E>[F]> | null } }) &
    ([Ma] extends [never] ? unknown : { max: { [F in Ma]: NonNullable<RowOf<E>[F]> | null } })
>;
