import type { UpsertCommand, UpsertItem } from '@berth/core';
import { encodeRow, encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { column, fieldOf } from './column.js';
import type { CompiledStatement } from './compiled-statement.js';
import { MAX_ROWS_PER_INSERT } from './compile-insert.js';

/** The column a statement returns to say whether its row was inserted (`xmax = 0`) or updated. */
export const CREATED_COLUMN = 'berth_created';

/** Rows per upsert statement: the insert's limit, keeping room for the stamp's parameters. */
export function upsertChunkSize(dialect: SqlDialect, columnCount: number): number {
  const room = dialect.maxParameters - 16;
  return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(room / Math.max(1, columnCount))));
}

/**
 * PostgreSQL's atomic upsert of one chunk: `INSERT ... VALUES ... ON CONFLICT (<key>) DO UPDATE SET ...
 * RETURNING <every field>, (xmax = 0) AS berth_created`. Only a conflict on the key's unique index turns
 * into the update; a duplicate on another unique index fails with `UniqueViolationError`. With one item
 * its `set` values are bound; with several, each row's own values are taken from `EXCLUDED`, so every
 * item's `set` must hold its insert values for the same fields (as `upsertMany` builds them).
 */
export function compilePostgresUpsert(
  dialect: SqlDialect,
  command: UpsertCommand,
  items: readonly UpsertItem[],
): CompiledStatement {
  const { entity } = command;
  const table = dialect.quoteIdentifier(entity.name);
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const columns = entity.fieldNames.map((name) => dialect.quoteIdentifier(name)).join(', ');
  const tuples = items.map((item) => `(${encodeRow(dialect, entity, item.insert).map(bind).join(', ')})`);
  const assignments: string[] = [];
  const single = items.length === 1;
  const setFields = new Set(items.flatMap((item) => Object.keys(item.set)));
  for (const name of setFields) {
    const target = column(dialect, entity, name);
    const value = single
      ? bind(encodeValue(dialect, fieldOf(entity, name), items[0]!.set[name]))
      : `EXCLUDED.${target}`;
    assignments.push(`${target} = ${value}`);
  }
  for (const [name, value] of Object.entries(command.stamp)) {
    assignments.push(
      `${column(dialect, entity, name)} = ${bind(encodeValue(dialect, fieldOf(entity, name), value))}`,
    );
  }
  if (command.bump !== undefined) {
    const bumped = column(dialect, entity, command.bump);
    assignments.push(`${bumped} = ${table}.${bumped} + 1`);
  }
  // DO UPDATE needs at least one assignment to return the existing row; a key column set to itself is one.
  if (assignments.length === 0) {
    const first = column(dialect, entity, command.key[0]!);
    assignments.push(`${first} = EXCLUDED.${first}`);
  }
  const key = command.key.map((name) => column(dialect, entity, name)).join(', ');
  const sql =
    `INSERT INTO ${table} (${columns}) VALUES ${tuples.join(', ')} ` +
    `ON CONFLICT (${key}) DO UPDATE SET ${assignments.join(', ')} ` +
    `RETURNING ${columns}, (xmax = 0) AS ${dialect.quoteIdentifier(CREATED_COLUMN)}`;
  return { sql, params };
}
