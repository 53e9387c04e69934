import { Binary, EJSON, ObjectId } from 'bson';
import type { Document } from 'bson';

/**
 * Deep-clones a document. Plain objects, arrays, Dates and Binary payloads are copied; other BSON
 * value classes (ObjectId, Long, Decimal128, Timestamp...) are immutable and shared on purpose.
 * Stored documents are cloned on the way in and out so callers never share references with storage.
 */
export function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneValue(item)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof RegExp) return new RegExp(value.source, value.flags) as T;
  if (value instanceof Binary) {
    const copy = new Binary(Uint8Array.from(value.buffer.subarray(0, value.position)), value.sub_type);
    // Keep the UUID subclass (and any other subclass) so equality checks keep working.
    return Object.setPrototypeOf(copy, Object.getPrototypeOf(value)) as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Document = {};
  for (const [key, item] of Object.entries(value as Document)) {
    // `__proto__` is an ordinary field name in BSON: keep it as data instead of setting a prototype.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: cloneValue(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = cloneValue(item);
  }
  return out as T;
}

/** Clones a document (see {@link cloneValue}). */
export function cloneDocument(doc: Document): Document {
  return cloneValue(doc);
}

/**
 * Canonical string of a BSON value, used as a map key for `_id`s and unique index keys.
 * Canonical Extended JSON keeps type and field order, which is how MongoDB compares keys.
 */
export function valueKey(value: unknown): string {
  return EJSON.stringify({ v: value === undefined ? null : value }, { relaxed: false });
}

/** True for a plain `{...}` object (not an array, Date, or BSON class instance). */
export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads a dotted path; arrays along the way yield every element's value (MongoDB multikey semantics). */
export function readPath(doc: unknown, path: string): { found: boolean; values: unknown[] } {
  const parts = path.split('.');
  const values: unknown[] = [];
  let found = false;
  const walk = (value: unknown, index: number): void => {
    if (index === parts.length) {
      found = true;
      values.push(value);
      return;
    }
    const part = parts[index] as string;
    if (Array.isArray(value)) {
      if (/^\d+$/.test(part) && Number(part) < value.length) {
        walk(value[Number(part)], index + 1);
        return;
      }
      for (const item of value) if (isPlainObject(item)) walk(item, index);
      return;
    }
    if (isPlainObject(value) && Object.hasOwn(value, part)) walk(value[part], index + 1);
  };
  walk(doc, 0);
  return { found, values };
}

/** Returns a copy of the document with `_id` as its first field, as mongod stores it. */
export function idFirst(doc: Document): Document {
  if (!Object.hasOwn(doc, '_id')) return doc;
  const keys = Object.keys(doc);
  if (keys[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** Ensures a document has an `_id` (generating an ObjectId) and that it is the first field. */
export function withId(doc: Document): Document {
  if (Object.hasOwn(doc, '_id') && doc._id !== undefined) return idFirst(doc);
  return { _id: new ObjectId(), ...doc };
}

/** Formats a value like the mongo shell does inside a duplicate-key `errmsg`. */
export function formatShellValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (Array.isArray(value)) return `[ ${value.map(formatShellValue).join(', ')} ]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${formatShellValue(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return EJSON.stringify(value as Document, { relaxed: true });
}
