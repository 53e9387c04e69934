import { type InsertCommand, hasGeneratedIds } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { type WriteRowValues, rowValuesWriter } from './insert-row-values.js';
import { shapeCache } from './shape-cache.js';

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
  const { generated, fields, writeRow } = insertPlan(dialect, entity);
  const rowsPerStatement = generated && !dialect.supportsInsertReturning ? 1 : maxRows;
  const size = insertChunkSize(dialect, fields.length, rowsPerStatement);
  const width = fields.length;
  const statements: CompiledStatement[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const end = Math.min(rows.length, start + size);
    // Values written straight into a parameter list of its final length: no array per row (a bulk insert
    // has thousands), and no regrowth of the list as it fills.
    const params: unknown[] = new Array((end - start) * width);
    for (let r = start, at = 0; r < end; r++, at += width) writeRow(rows[r]!, params, at);
    statements.push({ sql: insertText(dialect, entity, fields, generated, end - start, size), params });
  }
  return statements;
}

/** What every INSERT of an entity in a dialect shares: the columns written and their fields' metadata. */
interface InsertPlan {
  readonly generated: boolean;
  readonly fields: readonly string[];
  /** Writes a row's encoded values into a statement's parameters (see `rowValuesWriter`). */
  readonly writeRow: WriteRowValues;
}

/** Per dialect and entity (never by name: two definitions of one table never share a plan). */
const plans = new WeakMap<SqlDialect, WeakMap<InsertCommand['entity'], InsertPlan>>();

/**
 * The entity's insert plan, made on its first insert: a single-row insert runs on every `insert` call, and
 * listing the columns and their metadata again each time cost two arrays a call. Database-generated ids
 * leave the id column out.
 */
function insertPlan(dialect: SqlDialect, entity: InsertCommand['entity']): InsertPlan {
  let byEntity = plans.get(dialect);
  if (!byEntity) {
    byEntity = new WeakMap();
    plans.set(dialect, byEntity);
  }
  let plan = byEntity.get(entity);
  if (!plan) {
    const generated = hasGeneratedIds(entity);
    const fields = generated ? entity.fieldNames.filter((name) => name !== 'id') : entity.fieldNames;
    const metas = fields.map((name) => entity.fields[name]!);
    plan = { generated, fields, writeRow: rowValuesWriter(dialect, fields, metas) };
    byEntity.set(entity, plan);
  }
  return plan;
}

/** Per dialect and entity: INSERT text by row count (a bulk insert repeats one full chunk's text). */
const texts = shapeCache();

/** Row counts whose text is always kept: single-row and small inserts, the common calls. */
const SMALL_INSERT = 16;

/**
 * The text of an INSERT of `rowCount` rows. Kept per dialect, entity and row count for small counts and for
 * a full chunk (`chunkSize`, what a bulk insert repeats); any other count (the last chunk's remainder) is
 * built each time, so the cache never holds hundreds of long texts for one entity.
 */
function insertText(
  dialect: SqlDialect,
  entity: InsertCommand['entity'],
  fields: readonly string[],
  generated: boolean,
  rowCount: number,
  chunkSize: number,
): string {
  const kept = rowCount <= SMALL_INSERT || rowCount === chunkSize;
  const shapes = texts(dialect, entity);
  const key = String(rowCount);
  const cached = kept ? shapes.get(key) : undefined;
  if (cached !== undefined) return cached;
  const columns = fields.map((name) => dialect.quoteIdentifier(name)).join(', ');
  const head = `INSERT INTO ${dialect.quoteIdentifier(entity.name)} (${columns}) VALUES `;
  const tail =
    generated && dialect.supportsInsertReturning ? ` RETURNING ${dialect.quoteIdentifier('id')}` : '';
  const tuples: string[] = [];
  let at = 0;
  for (let r = 0; r < rowCount; r++) {
    const placeholders: string[] = [];
    for (let f = 0; f < fields.length; f++) placeholders.push(dialect.placeholder(++at));
    tuples.push(`(${placeholders.join(', ')})`);
  }
  const sql = head + tuples.join(', ') + tail;
  if (kept) shapes.set(key, sql);
  return sql;
}
