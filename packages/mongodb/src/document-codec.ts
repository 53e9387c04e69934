import {
  type EntityMeta,
  type FieldMeta,
  type StoredRow,
  ValidationError,
  canonicalDecimal,
} from '@berth/core';
import { Binary, Decimal128, type Document, Long } from 'mongodb';
import { documentKey } from './compile-filter.js';

/**
 * Finds the first object key in a JSON value that MongoDB would read as syntax: a leading `$` (an
 * operator) or a `.` (a path separator). Returns its path, or undefined.
 */
function unsafeKey(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeKey(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$') || key.includes('.')) return `${path}.${JSON.stringify(key)}`;
    const found = unsafeKey(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * JSON fields are stored as embedded documents and arrays, so they stay readable and indexable by other
 * MongoDB tools. Keys starting with `$` or containing `.` are refused with `ValidationError` rather than
 * escaped: MongoDB reads them as operators and paths, and an escaping scheme would store something other
 * than what the application wrote. (SQL backends accept such keys.)
 */
function encodeValue(entity: EntityMeta, name: string, meta: FieldMeta, value: unknown): unknown {
  if (value === null) return value;
  // bigint as a BSON long, decimal as Decimal128 (exact, compared numerically by mongod), bytes as binary.
  if (meta.kind === 'bigint') return Long.fromBigInt(value as bigint);
  if (meta.kind === 'decimal') return Decimal128.fromString(value as string);
  if (meta.kind === 'bytes') return new Binary(value as Uint8Array);
  if (meta.kind !== 'json') return value;
  const key = unsafeKey(value, name);
  if (key) {
    throw new ValidationError(
      `${entity.name}.${name}: a JSON key cannot start with "$" or contain "." on MongoDB (${key})`,
      [{ field: name, message: `${name} has a key starting with "$" or containing "." (${key})` }],
    );
  }
  return value;
}

/** A complete row as a document: `id` becomes `_id`, and every field is written, nulls included. */
export function encodeDocument(entity: EntityMeta, row: StoredRow): Document {
  const doc: Document = {};
  for (const name of entity.fieldNames) {
    const value = Object.hasOwn(row, name) ? row[name] : null;
    doc[documentKey(name)] = encodeValue(entity, name, entity.fields[name]!, value ?? null);
  }
  return doc;
}

/** The fields of an update, for `$set`. Only declared fields are accepted. */
export function encodeSet(entity: EntityMeta, set: StoredRow): Document {
  const doc: Document = {};
  for (const [name, value] of Object.entries(set)) {
    const meta = Object.hasOwn(entity.fields, name) ? entity.fields[name] : undefined;
    if (!meta)
      throw new ValidationError(`${name} is not a field of ${entity.name}`, [
        { field: name, message: 'unknown field' },
      ]);
    doc[documentKey(name)] = encodeValue(entity, name, meta, value ?? null);
  }
  return doc;
}

function toNumber(value: unknown): unknown {
  if (typeof value === 'number' || value === null) return value;
  if (typeof value === 'bigint') return Number(value);
  // A Long, Int32, Double or Decimal128 written by another client, or read without promotion.
  if (typeof value === 'object' && '_bsontype' in value) return Number(String(value));
  return value;
}

/** A BSON long (or a number the driver promoted from one, or an int32/double) as a bigint. */
function toBigint(value: unknown): unknown {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (value instanceof Long) return value.toBigInt();
  if (typeof value === 'object' && value !== null && '_bsontype' in value) return BigInt(String(value));
  return value;
}

/** Reads one stored value as berth reads the field kind: numbers from BSON numerics, ids as strings. */
export function decodeValue(meta: FieldMeta, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  switch (meta.kind) {
    case 'integer':
    case 'number':
    case 'version':
      return toNumber(value);
    case 'bigint':
      return toBigint(value);
    case 'decimal':
      return canonicalDecimal(meta.scale ?? 0, String(value));
    case 'bytes':
      return value instanceof Binary
        ? Uint8Array.from(value.buffer.subarray(0, value.position))
        : value instanceof Uint8Array
          ? Uint8Array.from(value)
          : value;
    case 'enum':
    case 'date':
      return typeof value === 'string' ? value : String(value);
    case 'id':
    case 'string':
      // An ObjectId `_id` written by another client reads as its hex string.
      return typeof value === 'string' ? value : String(value);
    default:
      return value;
  }
}

/**
 * A document as a row: `_id` read as `id`, only declared fields kept (a field missing from the document
 * reads as null; with `fields`, only those), numbers as JavaScript numbers. Integers are stored as BSON int32 or double, which hold
 * every safe integer exactly; a BSON long written by another client is read back as a number too.
 */
export function decodeDocument(
  entity: EntityMeta,
  doc: Document,
  fields: readonly string[] = entity.fieldNames,
): StoredRow {
  const row: StoredRow = {};
  for (const name of fields) {
    row[name] = decodeValue(entity.fields[name]!, doc[documentKey(name)]);
  }
  return row;
}
