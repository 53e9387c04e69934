import type { StoredRow } from '../driver/commands.js';

/**
 * A private deep copy of a row, so later changes to the caller's object can be detected. What
 * `structuredClone(row)` gives, at a fraction of its cost for the common row of scalars: primitives are
 * shared (they are immutable), Dates copied, and anything else (JSON values) deep-copied by
 * `structuredClone`, which also throws for what it cannot copy (a function), as it did for the whole row.
 */
export function snapshot(row: StoredRow): StoredRow {
  const copy: StoredRow = {};
  for (const name of Object.keys(row)) {
    const value = row[name];
    if (
      value === null ||
      (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')
    )
      copy[name] = value;
    else if (value instanceof Date) copy[name] = new Date(value.getTime());
    else copy[name] = structuredClone(value);
  }
  return copy;
}
