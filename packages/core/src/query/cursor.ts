import type { StoredRow } from '../driver/commands.js';
import type { EntityMeta } from '../entity/define-entity.js';
import { validateValue } from '../entity/validate-value.js';
import { ValidationError } from '../errors/validation-error.js';
import { type Condition, type Scalar, or } from './condition.js';
import type { SortKey } from './sort-key.js';

const MAX_CURSOR_LENGTH = 4096;

/** The sort as text (`-salary,id`); a loop, as it is made twice per page (a map and a join cost more). */
function signature(orderBy: readonly SortKey[]): string {
  let text = '';
  for (let i = 0; i < orderBy.length; i++) {
    const key = orderBy[i]!;
    if (i > 0) text += ',';
    text += key.direction === 'desc' ? `-${key.field}` : key.field;
  }
  return text;
}

function encodeValue(value: unknown): unknown {
  // JSON has no bigint: it travels as its decimal text and is read back by the field's kind.
  if (typeof value === 'bigint') return value.toString();
  return value instanceof Date ? value.getTime() : value;
}

/**
 * Makes the opaque cursor that resumes after `row` in the order `orderBy`. It carries the sort signature,
 * so a cursor is refused under a different sort, and the row's sort values.
 */
export function encodeCursor(orderBy: readonly SortKey[], row: StoredRow): string {
  const payload = { s: signature(orderBy), v: orderBy.map((k) => encodeValue(row[k.field])) };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function invalid(reason = 'invalid cursor'): never {
  throw new ValidationError(reason, [{ field: 'cursor', message: reason }]);
}

function decodeValue(entity: EntityMeta, field: string, value: unknown): Scalar {
  const kind = entity.fields[field]!.kind;
  switch (kind) {
    case 'datetime':
    case 'createdAt':
    case 'updatedAt': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid();
      // Refuses an Invalid Date (beyond ±8.64e15 ms) and instants outside the range every backend stores.
      const date = new Date(value);
      if (validateValue(field, entity.fields[field]!, date)) invalid();
      return date;
    }
    case 'integer':
    case 'version':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid();
      return value;
    case 'id':
      // A database-generated id is a number; UUIDv7 and supplied ids are strings (the default below).
      if (entity.fields[field]!.idStrategy !== 'increment') {
        if (typeof value !== 'string' || value.includes('\u0000')) invalid();
        return value as string;
      }
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid();
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) invalid();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') invalid();
      return value;
    case 'bigint': {
      if (typeof value !== 'string' || !/^-?\d{1,19}$/.test(value)) invalid();
      const big = BigInt(value as string);
      if (validateValue(field, entity.fields[field]!, big)) invalid();
      return big;
    }
    case 'enum':
    case 'date':
      if (validateValue(field, entity.fields[field]!, value)) invalid();
      return value as string;
    default:
      if (typeof value !== 'string' || value.includes('\u0000')) invalid();
      return value;
  }
}

/**
 * Reads a cursor back into the condition "strictly after that row in this order":
 * `(k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...`, with `<` for descending keys. Anything malformed, tampered
 * with or made for another sort raises `ValidationError` ("invalid cursor"; for another sort, the message
 * names both sorts).
 */
export function cursorCondition(entity: EntityMeta, orderBy: readonly SortKey[], cursor: string): Condition {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) invalid();
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    invalid();
  }
  if (typeof payload !== 'object' || payload === null) invalid();
  const { s, v } = payload as { s?: unknown; v?: unknown };
  const expected = signature(orderBy);
  if (typeof s === 'string' && s !== expected) {
    // A real cursor, reused with another sort: say so, since that is a mistake a caller can fix.
    invalid(`invalid cursor: it was made for the sort "${s.slice(0, 200)}", not "${expected}"`);
  }
  if (s !== expected || !Array.isArray(v) || v.length !== orderBy.length) invalid();
  const values: Scalar[] = [];
  for (let i = 0; i < orderBy.length; i++) values.push(decodeValue(entity, orderBy[i]!.field, v[i]));
  // Built as `and`/`or` would fold them (every leaf is a comparison, so there is nothing to flatten or
  // drop), without their argument copies: a cursor is decoded on every page after the first.
  const branches: Condition[] = [];
  for (let i = 0; i < orderBy.length; i++) {
    const key = orderBy[i]!;
    const last: Condition = {
      type: 'compare',
      field: key.field,
      op: key.direction === 'asc' ? 'gt' : 'lt',
      value: values[i]!,
    };
    if (i === 0) {
      branches.push(last);
      continue;
    }
    const equalities: Condition[] = [];
    for (let j = 0; j < i; j++) {
      equalities.push({ type: 'compare', field: orderBy[j]!.field, op: 'eq', value: values[j]! });
    }
    equalities.push(last);
    branches.push({ type: 'and', conditions: equalities });
  }
  if (branches.length <= 1) return branches[0] ?? or();
  return { type: 'or', conditions: branches };
}
