import { DatabaseError, type InsertCommand } from '@berth/core';
import { decodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { SqlResult } from './sql-result.js';

/**
 * The ids one INSERT of database-generated ids produced, in row order: its `RETURNING id` rows, or the
 * insert id of a one-row statement (see `compileInsert`).
 */
export function generatedIds(result: SqlResult): unknown[] {
  if (result.rows.length > 0) return result.rows.map((row) => row.id);
  return result.insertId === undefined ? [] : [result.insertId];
}

/**
 * Writes each generated id into its row (the contract of `InsertCommand`), decoded as every read decodes
 * it. A count that differs from the rows sent means the driver hid the ids: that is an error, never rows
 * handed back without ids.
 */
export function assignGeneratedIds(
  dialect: SqlDialect,
  command: InsertCommand,
  ids: readonly unknown[],
): void {
  if (ids.length !== command.rows.length)
    throw new DatabaseError(
      `${command.entity.name}: the database returned ${ids.length} generated ids for ${command.rows.length} rows`,
    );
  const meta = command.entity.fields.id!;
  command.rows.forEach((row, i) => {
    (row as Record<string, unknown>).id = decodeValue(dialect, meta, ids[i]);
  });
}
