import { documentKey } from './compile-filter.js';

/**
 * The `projection` of a find that reads only `fields`. `_id` is returned unless excluded, so it is
 * excluded explicitly when `id` is not selected: only the selected fields travel over the wire.
 */
export function compileProjection(fields: readonly string[]): Record<string, 0 | 1> {
  const projection: Record<string, 0 | 1> = {};
  for (const name of fields) projection[documentKey(name)] = 1;
  if (!fields.includes('id')) projection._id = 0;
  return projection;
}
