import { UNQUERYABLE_KINDS } from './normalize-where.js';
import type { EntityMeta } from '../entity/define-entity.js';
import { ValidationError } from '../errors/validation-error.js';
import type { SortKey } from './sort-key.js';

/**
 * Parses sort keys (`"name"`, `"-salary"`) into `SortKey`s and appends `id` ascending as the tiebreaker, so
 * the order is total and keyset pagination is exact. Sort fields must be declared, non-JSON and non-nullable
 * (a null has no agreed place in an order across backends, and keyset comparisons cannot step over it).
 */
export function parseOrderBy(entity: EntityMeta, orderBy: unknown): SortKey[] {
  const keys = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  const result: SortKey[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (typeof key !== 'string' || key.length === 0)
      throw new ValidationError('a sort key must be a field name');
    const descending = key.startsWith('-');
    const field = descending ? key.slice(1) : key;
    const meta = Object.hasOwn(entity.fields, field) ? entity.fields[field] : undefined;
    if (!meta)
      throw new ValidationError(`unknown sort key "${key}"`, [{ field, message: 'unknown sort key' }]);
    if (UNQUERYABLE_KINDS.has(meta.kind) || meta.nullable) {
      throw new ValidationError(`cannot sort on "${field}"`, [{ field, message: 'not sortable' }]);
    }
    if (seen.has(field))
      throw new ValidationError(`sort key "${field}" given twice`, [{ field, message: 'duplicate' }]);
    seen.add(field);
    result.push({ field, direction: descending ? 'desc' : 'asc' });
    if (field === 'id') {
      // id is unique, so nothing after it could ever decide an order.
      if (keys.indexOf(key) !== keys.length - 1) {
        throw new ValidationError('no sort key may follow "id"', [{ field: 'id', message: 'must be last' }]);
      }
      return result;
    }
  }
  result.push({ field: 'id', direction: 'asc' });
  return result;
}
