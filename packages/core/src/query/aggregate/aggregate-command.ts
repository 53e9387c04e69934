import type { EntityMeta } from '../../entity/define-entity.js';
import type { CompareOp, Condition, Scalar } from '../condition.js';

/** An aggregate function. `count` counts rows; the others read one field and ignore nulls. */
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

/**
 * One computed value of a group: `count` (no field), or a function of a field. Its `key` names it in
 * result rows, `having` and `orderBy`: `count`, or `<fn>.<field>` (`sum.salary`).
 */
export interface AggregateSpec {
  readonly key: string;
  readonly fn: AggregateFunction;
  readonly field?: string;
}

/** A condition on a computed value, kept after grouping (`HAVING`). */
export interface HavingCondition {
  readonly key: string;
  readonly op: CompareOp;
  readonly value: Scalar;
}

/** A sort key of grouped results: a group field or a computed value's key. */
export interface AggregateSortKey {
  readonly key: string;
  readonly direction: 'asc' | 'desc';
}

/**
 * Group the rows matching `where` by `groupBy` (one group of every row when empty) and compute
 * `aggregates` per group, in one statement. Validated by the core: names are declared fields, functions
 * apply to their field's kind, `orderBy` ends with every non-nullable group field so the order is total.
 */
export interface AggregateCommand {
  readonly entity: EntityMeta;
  readonly where: Condition;
  readonly groupBy: readonly string[];
  readonly aggregates: readonly AggregateSpec[];
  readonly having: readonly HavingCondition[];
  readonly orderBy: readonly AggregateSortKey[];
  readonly limit?: number;
}

/**
 * One group as an adapter returns it: `keys` holds the group fields decoded by field kind (null for the
 * null group); `values` holds each aggregate by key: `count` and `sum` as numbers (a sum over no values is
 * 0), `avg` as a double or null, `min`/`max` decoded by field kind, or null over no values.
 */
export interface AggregateResultRow {
  readonly keys: Record<string, unknown>;
  readonly values: Record<string, unknown>;
}
