import type { EntityMeta } from '../entity/define-entity.js';
import { UnsupportedError } from '../errors/unsupported-error.js';
import { type Condition, type Scalar, and, or } from '../query/condition.js';
import { hasRelationFilter } from './relation-filter.js';

/**
 * Reads the values of `field` on the rows of `entity` matching `where` (one statement), at most `limit`
 * rows. `where` holds no `exists`.
 */
export type ReadKeys = (
  entity: EntityMeta,
  field: string,
  where: Condition,
  limit: number,
) => Promise<readonly Scalar[]>;

/**
 * Most related rows one relation filter may match on a backend that resolves relation filters by a
 * pre-query: the keys travel back in the outer filter (a MongoDB command is at most 16 MiB).
 */
export const RELATION_FILTER_MAX_KEYS = 100_000;

/**
 * Turns every `exists` in `condition` (a condition on `entity`) into an `in` on the keys its inner
 * condition matches, innermost first: one pre-query per relation filter, for backends that cannot send a
 * correlated subquery (MongoDB's `find`). The result is two-valued like any condition: a parent whose key
 * is null matches no `in`, and one matching nothing folds to false. Past `maxKeys` matching related rows
 * the read is refused with `UnsupportedError` rather than send an unbounded key list.
 */
export async function resolveExists(
  entity: EntityMeta,
  condition: Condition,
  readKeys: ReadKeys,
  maxKeys = RELATION_FILTER_MAX_KEYS,
): Promise<Condition> {
  if (!hasRelationFilter(condition)) return condition;
  const resolve = (c: Condition) => resolveExists(entity, c, readKeys, maxKeys);
  // One statement at a time: a connection (and a MongoDB session) runs one command at once.
  const each = async (conditions: readonly Condition[]) => {
    const resolved: Condition[] = [];
    for (const c of conditions) resolved.push(await resolve(c));
    return resolved;
  };
  switch (condition.type) {
    case 'and':
      return and(...(await each(condition.conditions)));
    case 'or':
      return or(...(await each(condition.conditions)));
    case 'not': {
      const inner = await resolve(condition.condition);
      return inner.type === 'literal'
        ? { type: 'literal', value: !inner.value }
        : { type: 'not', condition: inner };
    }
    case 'exists': {
      const inner = await resolveExists(condition.target, condition.condition, readKeys, maxKeys);
      if (inner.type === 'literal' && !inner.value) return inner;
      const found = await readKeys(condition.target, condition.targetField, inner, maxKeys + 1);
      if (found.length > maxKeys)
        throw new UnsupportedError(
          'relation filter matching many rows',
          `a relation filter on ${condition.target.name} matches more than ${maxKeys} rows, more than this backend resolves (see docs/relations.md)`,
        );
      const keys = [...new Set(found.filter((key) => key !== null && key !== undefined))];
      if (keys.length === 0) return { type: 'literal', value: false };
      const match: Condition = { type: 'in', field: condition.field, values: keys, negated: false };
      return entity.fields[condition.field]?.nullable
        ? and({ type: 'null', field: condition.field, isNull: false }, match)
        : match;
    }
    default:
      return condition;
  }
}
