import { type SqlFragment, ValidationError } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';

/**
 * mysql2 formats arrays as lists and plain objects as `key = value` pairs, which would change the
 * statement's shape instead of binding one value; ask for the explicit forms instead.
 */
function refuseExpandedValue(value: unknown): void {
  if (Array.isArray(value)) {
    throw new ValidationError('raw SQL: bind a list with sql.join(values), not an array, on this backend');
  }
  const isPlainObject =
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array) &&
    (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);
  if (isPlainObject) {
    throw new ValidationError('raw SQL: bind JSON as text (JSON.stringify(value)) on this backend');
  }
}

/**
 * Compiles a raw SQL fragment for `dialect`: text as written, a placeholder per value (the value goes to
 * `params`, never into the text), identifiers quoted part by part and joined with dots.
 *
 * With `?` placeholders (MySQL) a `?` the programmer wrote in the text would be taken for a placeholder
 * by the driver and shift every value after it, so it is refused: interpolate it as a value instead.
 */
export function compileRaw(dialect: SqlDialect, fragment: SqlFragment): CompiledStatement {
  const questionMarks = dialect.placeholder(1) === '?';
  let text = '';
  const params: unknown[] = [];
  for (const part of fragment.parts) {
    if (part.kind === 'text') {
      if (questionMarks && part.text.includes('?')) {
        throw new ValidationError(
          'raw SQL: a literal "?" is a placeholder on this backend; pass it as an interpolated value instead',
        );
      }
      text += part.text;
    } else if (part.kind === 'value') {
      if (questionMarks) refuseExpandedValue(part.value);
      params.push(part.value);
      text += dialect.placeholder(params.length);
    } else {
      text += part.names.map((name) => dialect.quoteIdentifier(name)).join('.');
    }
  }
  if (text.trim().length === 0) throw new ValidationError('raw SQL: the statement is empty');
  return { sql: text, params };
}
