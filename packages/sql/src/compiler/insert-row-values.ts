import type { FieldMeta, StoredRow } from '@berth/core';
import { encodeValue, encodesAsIs } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';

/**
 * Writes one row's bound values, `encodeValue` of each of `fields` in order, into `params` from index `at`.
 * A bulk insert runs it for every row (10k rows of 11 fields: 110k values).
 */
export type WriteRowValues = (row: StoredRow, params: unknown[], at: number) => void;

/**
 * The row writer of `fields` (whose metadata is `metas`), generated where the runtime allows (`new Function`),
 * as the core's row code is (`rowShape`): each field is then read by name, not by a key that changes from one
 * field to the next, and a column `encodeValue` hands over as it is (`encodesAsIs`) costs no call. Field
 * names enter the source only as JSON string literals; `__proto__` falls back to the loop the compiler ran
 * before, so such a field reads as it always did.
 */
export function rowValuesWriter(
  dialect: SqlDialect,
  fields: readonly string[],
  metas: readonly FieldMeta[],
): WriteRowValues {
  const asIs = metas.map((meta) => encodesAsIs(dialect, meta));
  const encode = (f: number, value: unknown) => encodeValue(dialect, metas[f]!, value);
  if (!fields.includes('__proto__')) {
    const body = fields
      .map(
        (name, f) =>
          `x = r[${JSON.stringify(name)}]; p[at + ${f}] = x === null || x === undefined ? null : ${asIs[f] ? 'x' : `e(${f}, x)`};`,
      )
      .join('\n');
    try {
      return new Function('e', `return function writeRowValues(r, p, at) { let x;\n${body}\n};`)(
        encode,
      ) as WriteRowValues;
    } catch {
      // No code generation here (a Content Security Policy): the loop below.
    }
  }
  return (row, params, at) => {
    for (let f = 0; f < fields.length; f++) {
      const value = row[fields[f]!];
      params[at + f] = value === null || value === undefined ? null : asIs[f] ? value : encode(f, value);
    }
  };
}
