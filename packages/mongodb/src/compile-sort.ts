import type { SortKey } from '@berth/core';
import { documentKey } from './compile-filter.js';

/**
 * Compiles sort keys into a MongoDB sort document, in order. The core always ends the keys with `id`
 * (stored as `_id`), so the order is total and keyset pagination is exact.
 */
export function compileSort(orderBy: readonly SortKey[]): Record<string, 1 | -1> {
  const sort: Record<string, 1 | -1> = {};
  for (const key of orderBy) sort[documentKey(key.field)] = key.direction === 'asc' ? 1 : -1;
  return sort;
}
