import type { FieldMeta } from '../field.js';
import { copyBytes } from './bytes-kind.js';
import { canonicalDecimal } from './decimal-kind.js';

/**
 * The form in which a valid value is stored and returned: a decimal with exactly its scale's places (as
 * every backend reads it back), bytes as a plain `Uint8Array` copy (a Buffer, or an array the caller
 * changes later, never leaks into the row). Other values are stored as given.
 */
export function storedForm(meta: FieldMeta, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (meta.kind === 'decimal') return canonicalDecimal(meta.scale ?? 0, value as string);
  if (meta.kind === 'bytes') return copyBytes(value as Uint8Array);
  return value;
}

/** Whether `storedForm` may return something other than a valid value itself for `meta`'s kind. */
export function storedFormMayChange(meta: FieldMeta): boolean {
  return meta.kind === 'decimal' || meta.kind === 'bytes';
}
