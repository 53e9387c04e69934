import type { StoredRow } from '../driver/commands.js';

/** A private deep copy of a row, so later changes to the caller's object can be detected. */
export function snapshot(row: StoredRow): StoredRow {
  return structuredClone(row);
}
