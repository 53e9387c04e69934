import { type InsertCommand, hasGeneratedIds } from '@berth/core';
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
 *
 * Database-generated ids leave the id column out: with `INSERT ... RETURNING` each statement ends in
 * `RETURNING id` (the ids in the order of the rows); without it each row is its own statement, whose
 * insert id is the row's id.
 */
export function compileInsert(
  dialect: SqlDialect,
  command: InsertCommand,
  maxRows = MAX_ROWS_PER_INSERT,
): CompiledStatement[] {
  const { entity, rows } = command;
  const generated = hasGeneratedIds(entity);
  const fields = generated ? entity.fieldNames.filter((name) => name !== 'id') : entity.fieldNames;
  const columns = fields.map((name) => dialect.quoteIdentifier(name)).join(', ');
  const head = `INSERT INTO ${dialect.quoteIdentifier(entity.name)} (${columns}) VALUES `;
  const tail =
    generated && dialect.supportsInsertReturning ? ` RETURNING ${dialect.quoteIdentifier('id')}` : '';
  const rowsPerStatement = generated && !dialect.supportsInsertReturning ? 1 : maxRows;
  const size = insertChunkSize(dialect, fields.length, rowsPerStatement);
  const statements: CompiledStatement[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(start, start + size)) {
      const values = encodeRow(dialect, entity, row, fields);
      const placeholders = values.map((value) => {
        params.push(value);
        return dialect.placeholder(params.length);
      });
      tuples.push(`(${placeholders.join(', ')})`);
    }
    statements.push({ sql: head + tuples.join(', ') + tail, params });
  }
  return statements;
}
