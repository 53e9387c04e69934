import type { EntityMeta } from '../../entity/define-entity.js';
import type { CompareOp, Condition, Scalar } from '../condition.js';

/** An aggregate function. `count` counts rows; the others read one field and ignore nulls. */
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

/**
 * One computed value of a group: `count` (no field), or a function of a field. Its `key` names it in
 * result rows, `having` and `orderBy`: `count`, or `<fn>.<field>` (`sum.salary`).
 */
export interface AggregateSpec {
  /** The value's name in result rows, `having` and `orderBy`: `count`, or `<fn>.<field>` (`sum.salary`). */
  readonly key: string;
  /** The function computed over each group's rows. */
  readonly fn: AggregateFunction;
  /** The field the function reads; absent for `count`, which counts rows. */
  readonly field?: string;
}

/** A condition on a computed value, kept after grouping (`HAVING`). */
export interface HavingCondition {
  /** The computed value tested, by its `AggregateSpec.key`. */
  readonly key: string;
  /** The comparison, as in a `where` (a null computed value never matches). */
  readonly op: CompareOp;
  /** The value compared with: a number for `count`, `sum`, `avg`; the field's kind for `min`/`max`. */
  readonly value: Scalar;
}

/** A sort key of grouped results: a group field or a computed value's key. */
export interface AggregateSortKey {
  /** A group field's name or a computed value's `AggregateSpec.key`. */
  readonly key: string;
  /** `'asc'` or `'desc'` (`-` in front of the key as the caller wrote it). */
  readonly direction: 'asc' | 'desc';
}

/**
 * Group the rows matching `where` by `groupBy` (one group of every row when empty) and compute
 * `aggregates` per group, in one statement. Validated by the core: names are declared fields, functions
 * apply to their field's kind, `orderBy` ends with every non-nullable group field so the order is total.
 */
export interface AggregateCommand {
  /** The entity whose rows are grouped. */
  readonly entity: EntityMeta;
  /** Which rows are grouped: `MATCH_ALL` for every row. */
  readonly where: Condition;
  /** The group fields, in the caller's order; empty: every matching row is one group. */
  readonly groupBy: readonly string[];
  /** The values computed per group, each under its own key. */
  readonly aggregates: readonly AggregateSpec[];
  /** Conditions on computed values, all of which a group must meet (`HAVING`); empty: none. */
  readonly having: readonly HavingCondition[];
  /** The order of the groups, already total (the group fields appended). */
  readonly orderBy: readonly AggregateSortKey[];
  /** The most groups to return (1..10 000); absent: every group. */
  readonly limit?: number;
}

/**
 * One group as an adapter returns it: `keys` holds the group fields decoded by field kind (null for the
 * null group); `values` holds each aggregate by key: `count` and `sum` as numbers (a sum over no values is
 * 0), `avg` as a double or null, `min`/`max` decoded by field kind, or null over no values.
 */
export interface AggregateResultRow {
  /** The group fields' values of this group, by field name, decoded by field kind (null for the null group). */
  readonly keys: Record<string, unknown>;
  /** Each computed value of this group, by `AggregateSpec.key`. */
  readonly values: Record<string, unknown>;
}
