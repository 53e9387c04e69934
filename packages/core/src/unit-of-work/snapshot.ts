import type { StoredRow } from '../driver/commands.js';
import type { EntityMeta } from '../entity/define-entity.js';
import { rowShape } from '../entity/row-shape.js';

/**
 * A private deep copy of a row's fields, so later changes to the caller's object can be detected. What
 * `structuredClone` gives for each field, at a fraction of its cost for the common row of scalars:
 * primitives are shared (they are immutable), Dates copied, and anything else (JSON values) deep-copied by
 * `structuredClone`, which also throws for what it cannot copy (a function). Keys that are not fields of
 * `entity` (loaded relations) are left out: change tracking compares fields only.
 */
export function snapshot(entity: EntityMeta, row: StoredRow): StoredRow {
  return rowShape(entity).copy(row);
}
