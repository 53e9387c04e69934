import type { InsertCommand } from '@berth/core';
import { encodeRow } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';

/** Rows per INSERT even when parameters would allow more: keeps statements and server packets modest. */
export const MAX_ROWS_PER_INSERT = 1000;

/** How many rows of `columnCount` columns one INSERT carries under the dialect's parameter limit. */
export function insertChunkSize(
  dialect: SqlDialect,
  columnCount: number,
  maxRows = MAX_ROWS_PER_INSERT,
): number {
  return Math.max(1, Math.min(maxRows, Math.floor(dialect.maxParameters / Math.max(1, columnCount))));
}

/**
 * Multi-row `INSERT INTO <table> (<every field>) VALUES (...), (...)`, split into as few statements as the
 * parameter limit and `maxRows` allow. Returns no statement for no rows. A missing field is written as
 * NULL (the core hands complete rows). The statements are not atomic by themselves: run them in one
 * transaction when there is more than one (`SqlConnection.insert` does).
 */
export function compileInsert(
  dialect: SqlDialect,
  command: InsertCommand,
  maxRows = MAX_ROWS_PER_INSERT,
): CompiledStatement[] {
  const { entity, rows } = command;
  const columns = entity.fieldNames.map((name) => dialect.quoteIdentifier(name)).join(', ');
  const head = `INSERT INTO ${dialect.quoteIdentifier(entity.name)} (${columns}) VALUES `;
  const size = insertChunkSize(dialect, entity.fieldNames.length, maxRows);
  const statements: CompiledStatement[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(start, start + size)) {
      const values = encodeRow(dialect, entity, row);
      const placeholders = values.map((value) => {
        params.push(value);
        return dialect.placeholder(params.length);
      });
      tuples.push(`(${placeholders.join(', ')})`);
    }
    statements.push({ sql: head + tuples.join(', '), params });
  }
  return statements;
}
