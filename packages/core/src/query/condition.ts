import type { EntityMeta } from '../entity/define-entity.js';

/**
 * The normalized filter that adapters compile. The core builds it from a user's `Where` (see
 * `normalizeWhere`) after checking every field name against the entity and every value against the field's
 * kind, so a compiler can trust it: field names are declared fields, values are scalars of the right type.
 *
 * It is two-valued: the core has already expanded comparisons on nullable fields so that no leaf is ever
 * "unknown" (SQL's NULL). `compare` with `eq`/`gt`/... never matches a null value; `ne` on a nullable field
 * arrives as `or(compare ne, null)`. A compiler can therefore translate `not` literally, and SQL and
 * document backends return the same rows.
 */
export type Condition =
  | {
      /** A comparison of one field with one value. */
      readonly type: 'compare';
      /** The declared field compared (its column or document key). */
      readonly field: string;
      /** The operator; never matches a null value (see above). */
      readonly op: CompareOp;
      /** The value compared with, already checked against the field's kind. */
      readonly value: Scalar;
    }
  | {
      /** Membership of one field's value in a list. */
      readonly type: 'in';
      /** The declared field tested. */
      readonly field: string;
      /** The values, at least one (the core turns an empty `in` into a `literal`). */
      readonly values: readonly Scalar[];
      /** True for `notIn`: the value is none of `values` (a null value never matches either way). */
      readonly negated: boolean;
    }
  | {
      /** A text pattern on a string field; the core has escaped nothing, the compiler escapes `value`. */
      readonly type: 'like';
      /** The declared string field matched. */
      readonly field: string;
      /** Where `value` must occur: at the start, the end, or anywhere. */
      readonly mode: LikeMode;
      /** The text to find, taken literally (`%` and `_` are not wildcards). */
      readonly value: string;
      /**
       * True: ASCII letters match either case; every other character (É, é, ß, ...) only itself. The same
       * on every backend, whatever its collation (see docs/queries.md).
       */
      readonly caseInsensitive?: boolean;
    }
  | {
      /** A null test. */
      readonly type: 'null';
      /** The declared nullable field tested. */
      readonly field: string;
      /** True: the value is null; false: it is not. */
      readonly isNull: boolean;
    }
  | {
      /** True when every one of `conditions` is. */
      readonly type: 'and';
      /** The operands, in order (`and()`/`or()` flatten nested ones; a compiler must still accept any count). */
      readonly conditions: readonly Condition[];
    }
  | {
      /** True when any one of `conditions` is. */
      readonly type: 'or';
      /** The operands, in order (`and()`/`or()` flatten nested ones; a compiler must still accept any count). */
      readonly conditions: readonly Condition[];
    }
  | {
      /** The negation of `condition` (two-valued, so it can be compiled literally). */
      readonly type: 'not';
      /** The condition negated. */
      readonly condition: Condition;
    }
  | {
      /** A constant: what an empty `in` or an empty `where` reduces to. */
      readonly type: 'literal';
      /** True matches every row (`MATCH_ALL`), false none. */
      readonly value: boolean;
    }
  | ExistsCondition;

/**
 * A relation filter (see docs/relations.md): true when SOME row of `target` whose `targetField` equals
 * this row's `field` matches `condition` (a condition on `target`, which may itself hold `exists`).
 * `none` and `every` arrive as `not(exists(c))` and `not(exists(not c))`; a many-to-many as an `exists` on
 * the join entity holding an `exists` on the target. A null `field` matches no row, so `exists` is never
 * unknown and stays two-valued. SQL compiles it to a correlated `EXISTS (SELECT 1 ...)`; an adapter
 * without subqueries resolves it first into an `in` on the keys the inner condition matches (see
 * `resolveExists`).
 */
export interface ExistsCondition {
  /** Tells this condition from the others of `Condition`. */
  readonly type: 'exists';
  /** This entity's field holding the key: a foreign key (belongsTo) or `id`. */
  readonly field: string;
  /** The related entity whose rows are searched (the join entity, for a many-to-many). */
  readonly target: EntityMeta;
  /** The target's field matched against `field`: `id` (belongsTo) or the target's foreign key. */
  readonly targetField: string;
  /** What a related row must match; `MATCH_ALL` for a bare `some: {}`. */
  readonly condition: Condition;
}

/** The comparison operators a `where` compiles to on every backend. */
export type CompareOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

/** Where a `like` condition's text must occur in the value. */
export type LikeMode = 'contains' | 'startsWith' | 'endsWith';

/** A value that can appear in a condition. Dates are instants; integers are safe integers. */
export type Scalar = string | number | boolean | Date | bigint;

/** Condition that matches every row. */
export const MATCH_ALL: Condition = Object.freeze({ type: 'literal', value: true });

/** Joins conditions with AND, dropping literal trues and folding to a literal where possible. */
export function and(...conditions: Condition[]): Condition {
  const kept: Condition[] = [];
  for (const c of conditions) {
    if (c.type === 'literal') {
      if (!c.value) return c;
      continue;
    }
    if (c.type === 'and') kept.push(...c.conditions);
    else kept.push(c);
  }
  if (kept.length === 0) return MATCH_ALL;
  if (kept.length === 1) return kept[0]!;
  return { type: 'and', conditions: kept };
}

/** Joins conditions with OR, dropping literal falses and folding to a literal where possible. */
export function or(...conditions: Condition[]): Condition {
  const kept: Condition[] = [];
  for (const c of conditions) {
    if (c.type === 'literal') {
      if (c.value) return c;
      continue;
    }
    if (c.type === 'or') kept.push(...c.conditions);
    else kept.push(c);
  }
  if (kept.length === 0) return { type: 'literal', value: false };
  if (kept.length === 1) return kept[0]!;
  return { type: 'or', conditions: kept };
}
