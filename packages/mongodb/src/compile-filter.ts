import { type Condition, UnsupportedError } from '@berth/core';
import { type Document, Long } from 'mongodb';
import { textPattern } from './text-pattern.js';

/** The document key of a field: `id` is stored as `_id`. */
export function documentKey(field: string): string {
  return field === 'id' ? '_id' : field;
}

const COMPARE: Readonly<Record<string, string>> = {
  eq: '$eq',
  ne: '$ne',
  gt: '$gt',
  gte: '$gte',
  lt: '$lt',
  lte: '$lte',
};

/** Every document has an `_id`, so this matches nothing, on every server version. */
const MATCH_NOTHING: Document = Object.freeze({ _id: { $exists: false } });

/** A filter value as BSON: a bigint as a 64-bit long (the driver refuses a bare bigint without `useBigInt64`). */
function bsonScalar(value: unknown): unknown {
  return typeof value === 'bigint' ? Long.fromBigInt(value) : value;
}

/**
 * Compiles the core's normalized, two-valued `Condition` into a MongoDB filter.
 *
 * Only operators this function writes reach the server: every leaf puts its value under an explicit
 * operator (`{ f: { $eq: v } }`, never `{ f: v }`), so no value can be read as an operator document, and
 * field names come from the entity definition. `like` becomes an anchored or unanchored `$regex` of the
 * escaped text. Nulls: rows always store every field (null included), so `$eq: null` / `$ne: null`
 * (which also treat a missing field as null) agree with SQL's `IS NULL` / `IS NOT NULL`; and because
 * the core has already expanded comparisons on nullable fields, `not` can be a plain `$nor`.
 */
export function compileFilter(condition: Condition): Document {
  switch (condition.type) {
    case 'compare':
      return { [documentKey(condition.field)]: { [COMPARE[condition.op]!]: bsonScalar(condition.value) } };
    case 'in':
      return {
        [documentKey(condition.field)]: {
          [condition.negated ? '$nin' : '$in']: condition.values.map(bsonScalar),
        },
      };
    case 'like':
      return {
        [documentKey(condition.field)]: {
          $regex: textPattern(condition.mode, condition.value, condition.caseInsensitive === true),
        },
      };
    case 'null':
      return { [documentKey(condition.field)]: condition.isNull ? { $eq: null } : { $ne: null } };
    case 'and':
      return { $and: condition.conditions.map(compileFilter) };
    case 'or':
      return { $or: condition.conditions.map(compileFilter) };
    case 'not':
      return { $nor: [compileFilter(condition.condition)] };
    case 'literal':
      return condition.value ? {} : { ...MATCH_NOTHING };
    case 'exists':
      // The connection resolves relation filters into `$in` first (`resolveExists`); one left here is a bug.
      throw new UnsupportedError(
        'relation filter',
        'a relation filter reached the MongoDB filter compiler unresolved',
      );
  }
}

/**
 * True when the condition can match one document at most: an `id` equality, alone or inside an `and`
 * (as in the core's versioned updates and deletes). Such writes can use the single-document commands,
 * which the driver retries once after a network error.
 */
export function targetsOneDocument(condition: Condition): boolean {
  const isIdEquality = (c: Condition) => c.type === 'compare' && c.field === 'id' && c.op === 'eq';
  return isIdEquality(condition) || (condition.type === 'and' && condition.conditions.some(isIdEquality));
}
