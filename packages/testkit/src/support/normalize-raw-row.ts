import {
  type EntityMeta,
  type FieldMeta,
  type StoredRow,
  canonicalDecimal,
  dateOnlyFromDriverDate,
} from '@berth/core';

function toNumber(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return value;
}

function toBoolean(value: unknown): unknown {
  if (value === 0 || value === 1 || value === 0n || value === 1n) return Boolean(value);
  if (value === 't' || value === 'true' || value === '1') return true;
  if (value === 'f' || value === 'false' || value === '0') return false;
  return value;
}

function toDate(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(
      typeof value === 'string' && !/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? `${value}Z` : value,
    );
    return Number.isNaN(date.getTime()) ? value : date;
  }
  return value;
}

function normalizeValue(meta: FieldMeta, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (meta.kind) {
    case 'id':
      if (meta.idStrategy === 'increment') return toNumber(value);
      return typeof value === 'string' ? value : String(value);
    case 'integer':
    case 'number':
    case 'version':
      return toNumber(value);
    case 'boolean':
      return toBoolean(value);
    case 'datetime':
    case 'createdAt':
    case 'updatedAt':
      return toDate(value);
    case 'bigint':
      return typeof value === 'bigint' ? value : BigInt(String(value));
    case 'decimal':
      return canonicalDecimal(meta.scale ?? 0, String(value));
    case 'date':
      return value instanceof Date ? dateOnlyFromDriverDate(value) : String(value).slice(0, 10);
    case 'bytes':
      if (value instanceof Uint8Array) return Uint8Array.from(value);
      // A BSON Binary read raw.
      if (typeof value === 'object' && value !== null && 'buffer' in value && 'position' in value) {
        const binary = value as { buffer: Uint8Array; position: number };
        return Uint8Array.from(binary.buffer.subarray(0, binary.position));
      }
      return value;
    case 'json':
      if (typeof value === 'string') {
        try {
          return JSON.parse(value);
        } catch {
          return value;
        }
      }
      return value;
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

/**
 * Brings a row read raw from the database into berth's form, field by field, so it can be compared with
 * what berth returned: numbers from bigints or numeric strings, booleans from 0/1, Dates from text, JSON
 * from text. Only the entity's fields are kept; `_id` is read as `id`.
 */
export function normalizeRawRow(entity: EntityMeta, raw: Record<string, unknown>): StoredRow {
  const row: StoredRow = {};
  for (const name of entity.fieldNames) {
    const value = name === 'id' && !Object.hasOwn(raw, 'id') ? raw._id : raw[name];
    row[name] = normalizeValue(entity.fields[name]!, value);
  }
  return row;
}
