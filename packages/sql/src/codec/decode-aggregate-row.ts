import { type AggregateCommand, type AggregateResultRow, DatabaseError } from '@berth/core';
import { aggregateAlias } from '../compiler/compile-aggregate.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { decodeValue } from './row-codec.js';

function toNumber(value: unknown): number {
  // pg returns COUNT and SUM(bigint) as strings (int8, numeric), mysql2 DECIMAL as a string.
  const result =
    typeof value === 'number' ? value : Number(typeof value === 'bigint' ? value : String(value));
  if (Number.isNaN(result)) throw new DatabaseError(`cannot read an aggregate value: ${String(value)}`);
  return result;
}

/** Decodes one row of `compileAggregate` into the core's `AggregateResultRow`. */
export function decodeAggregateRow(
  dialect: SqlDialect,
  command: AggregateCommand,
  row: Record<string, unknown>,
): AggregateResultRow {
  const keys: Record<string, unknown> = {};
  for (const field of command.groupBy)
    keys[field] = decodeValue(dialect, command.entity.fields[field]!, row[field]);
  const values: Record<string, unknown> = {};
  command.aggregates.forEach((spec, i) => {
    const raw = row[aggregateAlias(i)];
    if (spec.fn === 'count' || spec.fn === 'sum') values[spec.key] = raw === null ? 0 : toNumber(raw);
    else if (spec.fn === 'avg') values[spec.key] = raw === null || raw === undefined ? null : toNumber(raw);
    else values[spec.key] = decodeValue(dialect, command.entity.fields[spec.field!]!, raw);
  });
  return { keys, values };
}
