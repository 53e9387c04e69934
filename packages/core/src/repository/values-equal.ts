import type { StoredRow } from '../driver/commands.js';
import type { EntityMeta } from '../entity/define-entity.js';
import type { FieldMeta } from '../entity/field.js';
import { bytesEqual } from '../entity/kinds/bytes-kind.js';

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => Object.hasOwn(b, k) && jsonEqual((a as never)[k], (b as never)[k]));
}

/** Whether two values of one field are the same stored value (Dates by instant, JSON deeply). */
export function valuesEqual(meta: FieldMeta, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (meta.kind === 'json') return jsonEqual(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return bytesEqual(a, b);
  return false;
}

/** The names of the fields whose values differ between two versions of a row. */
export function changedFields(entity: EntityMeta, before: StoredRow, after: StoredRow): string[] {
  return entity.fieldNames.filter((name) => !valuesEqual(entity.fields[name]!, before[name], after[name]));
}

/** Whether two versions of a row hold the same stored values in every field (stops at the first difference). */
export function rowsEqual(entity: EntityMeta, a: StoredRow, b: StoredRow): boolean {
  for (const name of entity.fieldNames)
    if (!valuesEqual(entity.fields[name]!, a[name], b[name])) return false;
  return true;
}
