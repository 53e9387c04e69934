import type { ValidationIssue } from '../errors/validation-error.js';
import type { FieldMeta } from './field.js';
import { bigintProblem } from './kinds/bigint-kind.js';
import { bytesProblem } from './kinds/bytes-kind.js';
import { dateOnlyProblem } from './kinds/date-only-kind.js';
import { decimalProblem } from './kinds/decimal-kind.js';
import { enumProblem } from './kinds/enum-kind.js';

// Portable instant range: MySQL's DATETIME starts at year 1000; every backend ends at 9999.
const MIN_TIME = Date.UTC(1000, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/**
 * Arrays and objects nested in one JSON value, at most. MariaDB's JSON validation (10.11, which berth's
 * JSON columns there check on write) refuses a 32nd level, so berth refuses it on every backend: a value
 * that one backend stores, all store.
 */
export const MAX_JSON_NESTING = 31;

function codePointLength(value: string): number {
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) i++;
    length++;
  }
  return length;
}

const TOO_DEEP = `is nested deeper than ${MAX_JSON_NESTING} levels`;

/** `depth` is the number of arrays and objects around `value`. */
function checkJson(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'must hold finite numbers only';
  // PostgreSQL's jsonb and text types cannot store NUL, so no backend accepts it.
  if (typeof value === 'string')
    return value.includes('\u0000') ? 'must not contain NUL characters' : undefined;
  if (Array.isArray(value)) {
    if (depth >= MAX_JSON_NESTING) return TOO_DEEP;
    for (const item of value) {
      const problem = checkJson(item, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    if (depth >= MAX_JSON_NESTING) return TOO_DEEP;
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return 'must not contain NUL characters';
      const problem = checkJson(item, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  return 'must be a JSON value';
}

/**
 * The issue for field `name`. Built only when a value fails: `validateValue` runs for every field of every
 * row written (10k rows of a bulk insert: 100k calls), so it allocates nothing on success.
 */
function issue(name: string, message: string): ValidationIssue {
  return { field: name, message: `${name} ${message}` };
}

function stringProblem(name: string, meta: FieldMeta, value: unknown): ValidationIssue | undefined {
  if (typeof value !== 'string') return issue(name, 'must be a string');
  if (value.includes('\u0000')) return issue(name, 'must not contain NUL characters');
  // A string of n UTF-16 units holds from ceil(n / 2) to n characters: they are counted (a loop over every
  // unit, for every string field of every row written) only when a bound falls within that range.
  const units = value.length;
  if (
    (meta.max === undefined || units <= meta.max) &&
    (meta.min === undefined || (units + 1) >> 1 >= meta.min)
  )
    return undefined;
  const length = codePointLength(value);
  if (meta.min !== undefined && length < meta.min)
    return issue(name, `must be at least ${meta.min} ${meta.min === 1 ? 'character' : 'characters'}`);
  if (meta.max !== undefined && length > meta.max)
    return issue(name, `must be at most ${meta.max} ${meta.max === 1 ? 'character' : 'characters'}`);
  return undefined;
}

function wrap(name: string, problem: string | undefined): ValidationIssue | undefined {
  return problem === undefined ? undefined : issue(name, problem);
}

/**
 * Checks one value against its field. Returns the problem as an issue, or undefined when the value fits.
 * It accepts exactly the JavaScript type the field declares: no coercion, so `"5"` is not an integer.
 */
export function validateValue(name: string, meta: FieldMeta, value: unknown): ValidationIssue | undefined {
  if (value === null) return meta.nullable ? undefined : issue(name, 'must not be null');
  if (value === undefined) return issue(name, 'is required');
  switch (meta.kind) {
    case 'id':
      // A database-generated id is a positive safe integer; a UUIDv7 or supplied one is a string.
      if (meta.idStrategy === 'increment') {
        if (typeof value !== 'number' || !Number.isSafeInteger(value))
          return issue(name, 'must be a safe integer');
        // `min` (1) is dropped for filters, where `id > 0` is a fair question.
        return meta.min !== undefined && value < meta.min
          ? issue(name, `must be at least ${meta.min}`)
          : undefined;
      }
      return stringProblem(name, meta, value);
    case 'string':
      return stringProblem(name, meta, value);
    case 'integer':
    case 'version':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return issue(name, 'must be a finite number');
      if (meta.kind !== 'number' && !Number.isSafeInteger(value))
        return issue(name, 'must be a safe integer');
      if (meta.min !== undefined && value < meta.min) return issue(name, `must be at least ${meta.min}`);
      if (meta.max !== undefined && value > meta.max) return issue(name, `must be at most ${meta.max}`);
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : issue(name, 'must be a boolean');
    case 'datetime':
    case 'createdAt':
    case 'updatedAt': {
      if (!(value instanceof Date) || Number.isNaN(value.getTime()))
        return issue(name, 'must be a valid Date');
      const time = value.getTime();
      if (time < MIN_TIME || time > MAX_TIME) return issue(name, 'must be between the years 1000 and 9999');
      return undefined;
    }
    case 'json': {
      const problem = checkJson(value, 0);
      return problem ? issue(name, problem) : undefined;
    }
    case 'enum':
      return wrap(name, enumProblem(meta.values ?? [], value));
    case 'decimal':
      return wrap(name, decimalProblem(meta.precision ?? 0, meta.scale ?? 0, value));
    case 'bigint':
      return wrap(name, bigintProblem(value));
    case 'date':
      return wrap(name, dateOnlyProblem(value));
    case 'bytes':
      return wrap(name, bytesProblem(meta.max ?? Number.POSITIVE_INFINITY, value));
  }
}
