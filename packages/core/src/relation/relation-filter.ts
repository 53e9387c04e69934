import type { EntityMeta } from '../entity/define-entity.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Condition, ExistsCondition } from '../query/condition.js';
import { relationKeys } from './relation-keys.js';
import type { RelationMeta } from '../entity/entity-meta.js';

/** Normalizes a filter on another entity (the caller's `normalize`, one level deeper). */
export type NormalizeNested = (entity: EntityMeta, where: unknown) => Condition;

const QUANTIFIERS = new Set(['some', 'every', 'none']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function invalid(name: string, message: string): ValidationError {
  return new ValidationError(`filter on relation "${name}": ${message}`, [{ field: name, message }]);
}

function negate(condition: Condition): Condition {
  return condition.type === 'literal'
    ? { type: 'literal', value: !condition.value }
    : { type: 'not', condition };
}

/**
 * A relation filter as a condition: `{ author: { name: 'Ada' } }` on a to-one relation (the related row
 * exists and matches), `{ lines: { some, every, none } }` on a to-many one (several are joined with AND).
 * `every` holds for a row with no related rows, as in Prisma and in logic; `none` is `not some`.
 */
export function relationCondition(
  entity: EntityMeta,
  name: string,
  relation: RelationMeta,
  value: unknown,
  nested: NormalizeNested,
): Condition {
  const target = relation.target();
  const keys = relationKeys(entity, relation, target, (message) => invalid(name, message));
  if (!isPlainObject(value)) throw invalid(name, 'takes an object (a filter on the related rows)');
  /** Some related row matches the filter `where` on the target. */
  const some = (where: unknown): Condition => {
    const inner = nested(target, where);
    if (!keys.join) return exists(keys.parentKey, target, keys.targetKey, inner);
    const { entity: through, fromKey, toKey } = keys.join;
    return exists('id', through, fromKey, exists(toKey, target, 'id', inner));
  };
  if (!keys.many) return some(value);
  const parts: Condition[] = [];
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) throw invalid(name, 'takes some, every or none on a to-many relation');
  for (const [quantifier, where] of entries) {
    if (!QUANTIFIERS.has(quantifier))
      throw invalid(name, `unknown "${quantifier}": a to-many relation takes some, every or none`);
    if (quantifier === 'some') parts.push(some(where));
    else if (quantifier === 'none') parts.push(negate(some(where)));
    else parts.push(negate(some({ not: where })));
  }
  return parts.length === 1 ? parts[0]! : { type: 'and', conditions: parts };
}

function exists(field: string, target: EntityMeta, targetField: string, condition: Condition): Condition {
  // An inner filter that matches nothing makes the whole test false, without a statement.
  if (condition.type === 'literal' && !condition.value) return condition;
  const node: ExistsCondition = { type: 'exists', field, target, targetField, condition };
  return node;
}

/** True when `condition` holds a relation filter anywhere (set-based writes refuse them). */
export function hasRelationFilter(condition: Condition): boolean {
  switch (condition.type) {
    case 'exists':
      return true;
    case 'and':
    case 'or':
      return condition.conditions.some(hasRelationFilter);
    case 'not':
      return hasRelationFilter(condition.condition);
    default:
      return false;
  }
}
