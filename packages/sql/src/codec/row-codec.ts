import {
  DatabaseError,
  type EntityMeta,
  type FieldMeta,
  type StoredRow,
  canonicalDecimal,
  dateOnlyFromDriverDate,
} from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { parseDatetime } from './parse-datetime.js';

const TEXT_DECODER = new TextDecoder();

/**
 * Converts one field value from berth's JavaScript form into what the driver binds: `null` for absent
 * values, JSON fields as JSON text (pg would turn a JS array into a PostgreSQL array), booleans as 1/0
 * where the dialect stores them as integers. Dates stay `Date`: pg and mysql2 (with `timezone: 'Z'`)
 * serialize them as UTC instants.
 */
export function encodeValue(dialect: SqlDialect, field: FieldMeta, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (field.kind === 'json') return JSON.stringify(value);
  if (field.kind === 'boolean' && dialect.booleansAsIntegers) return value ? 1 : 0;
  // A Buffer is what both drivers bind as binary; a plain Uint8Array would be read as an object by mysql2.
  if (field.kind === 'bytes' && !Buffer.isBuffer(value)) {
    const bytes = value as Uint8Array;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return value;
}

/**
 * Whether `encodeValue` hands every non-null value of `field` to the driver as it is: a bulk insert can then
 * skip the call for that column (tens of thousands of values).
 */
export function encodesAsIs(dialect: SqlDialect, field: FieldMeta): boolean {
  return !(
    field.kind === 'json' ||
    field.kind === 'bytes' ||
    (field.kind === 'boolean' && dialect.booleansAsIntegers)
  );
}

function undecodable(field: FieldMeta, value: unknown): never {
  throw new DatabaseError(`cannot read a ${field.kind} value from the database: ${String(value)}`);
}

function toNumber(field: FieldMeta, value: unknown): number {
  if (typeof value === 'number') return value;
  // pg returns int8 (and COUNT) as strings, some drivers return doubles or bigints in other forms.
  const result = typeof value === 'bigint' ? Number(value) : Number(String(value));
  return Number.isNaN(result) ? undecodable(field, value) : result;
}

function toBigint(field: FieldMeta, value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  // pg returns int8 as text, mysql2 (supportBigNumbers) a number when it is safe and text when not.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  return undecodable(field, value);
}

function toBoolean(field: FieldMeta, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n;
  if (typeof value === 'string') {
    const text = value.toLowerCase();
    if (text === '1' || text === 't' || text === 'true') return true;
    if (text === '0' || text === 'f' || text === 'false') return false;
  }
  return undecodable(field, value);
}

function toDate(field: FieldMeta, value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') return parseDatetime(value) ?? undecodable(field, value);
  if (typeof value === 'number') return new Date(value);
  return undecodable(field, value);
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return TEXT_DECODER.decode(value);
  return String(value);
}

/**
 * Converts one value read from the driver into berth's JavaScript form for the field's kind: numbers
 * from strings or bigints, booleans from TINYINT, Dates from DATETIME text, JSON from text where the
 * driver did not parse it. `null` stays `null`.
 */
export function decodeValue(dialect: SqlDialect, field: FieldMeta, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case 'id':
      return field.idStrategy === 'increment' ? toNumber(field, value) : toText(value);
    case 'string':
      return toText(value);
    case 'integer':
    case 'version':
    case 'number':
      return toNumber(field, value);
    case 'boolean':
      return toBoolean(field, value);
    case 'datetime':
    case 'createdAt':
    case 'updatedAt':
      return toDate(field, value);
    case 'enum':
      return toText(value);
    case 'decimal': {
      const text = toText(value);
      return /^-?\d+(\.\d+)?$/.test(text)
        ? canonicalDecimal(field.scale ?? 0, text)
        : undecodable(field, value);
    }
    case 'bigint':
      return toBigint(field, value);
    case 'date':
      return value instanceof Date ? dateOnlyFromDriverDate(value) : toText(value).slice(0, 10);
    case 'bytes':
      return value instanceof Uint8Array ? Uint8Array.from(value) : undecodable(field, value);
    case 'json':
      if (dialect.jsonParsedByDriver) return value;
      if (typeof value === 'string' || value instanceof Uint8Array) {
        try {
          return JSON.parse(toText(value));
        } catch (error) {
          throw new DatabaseError('a JSON column holds invalid JSON', undefined, { cause: error });
        }
      }
      return value;
  }
}

/** Encodes the fields of `row` that the entity declares, in the entity's field order. */
export function encodeRow(
  dialect: SqlDialect,
  entity: EntityMeta,
  row: StoredRow,
  fields: readonly string[] = entity.fieldNames,
): unknown[] {
  return fields.map((name) => encodeValue(dialect, entity.fields[name]!, row[name]));
}
