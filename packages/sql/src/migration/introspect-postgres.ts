import type { ColumnModel, ForeignKeyModel, IndexModel, ReferentialAction, SchemaModel } from '@berth/core';
import type { ExecuteStatement } from '../connection/sql-result.js';
import { parseColumnType } from './parse-column-type.js';
import { assembleSchema } from './assemble-schema.js';

/** Tables of the current schema. */
const TABLES = `SELECT table_name AS "table" FROM information_schema.tables
WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;

/** Columns with what the canonical spelling needs (udt name, length, precision). */
const COLUMNS = `SELECT table_name AS "table", column_name AS "name", is_nullable AS "nullable",
  column_default AS "default", udt_name AS "udt", character_maximum_length AS "length",
  datetime_precision AS "precision", numeric_precision AS "numericPrecision", numeric_scale AS "numericScale"
FROM information_schema.columns WHERE table_schema = current_schema()
ORDER BY table_name, ordinal_position`;

/** Indexes (primary keys excluded) with their columns in order, from pg_catalog. */
const INDEXES = `SELECT t.relname AS "table", i.relname AS "name", ix.indisunique AS "unique",
  array_to_string(array(
    SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n), ',') AS "columns"
FROM pg_index ix
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_namespace ns ON ns.oid = t.relnamespace
WHERE ns.nspname = current_schema() AND NOT ix.indisprimary`;

/** Foreign keys with their column lists in order. */
const FOREIGN_KEYS = `SELECT cl.relname AS "table", con.conname AS "name", rc.relname AS "referenced",
  array_to_string(array(
    SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n), ',') AS "columns",
  array_to_string(array(
    SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, n)
    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n), ',') AS "refColumns",
  con.confdeltype AS "onDelete"
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_class rc ON rc.oid = con.confrelid
JOIN pg_namespace ns ON ns.oid = cl.relnamespace
WHERE con.contype = 'f' AND ns.nspname = current_schema()`;

/** `pg_constraint.confdeltype` codes as berth names the actions (`d`, SET DEFAULT, is none of them). */
const POSTGRES_ACTIONS: Record<string, ReferentialAction> = {
  a: 'noAction',
  r: 'restrict',
  c: 'cascade',
  n: 'setNull',
};

/** The canonical spelling of a PostgreSQL column type, as `postgresDialect.columnType` writes it. */
function canonicalType(
  udt: string,
  length: unknown,
  precision: unknown,
  numericPrecision?: unknown,
  numericScale?: unknown,
): string {
  switch (udt) {
    case 'numeric':
      // An exact decimal keeps its declared precision and scale; without them it is unconstrained.
      return numericPrecision == null
        ? 'numeric'
        : `numeric(${Number(numericPrecision)},${Number(numericScale ?? 0)})`;
    case 'varchar':
      return length == null ? 'text' : `varchar(${Number(length)})`;
    case 'int8':
      return 'bigint';
    case 'int4':
      return 'integer';
    case 'int2':
      return 'smallint';
    case 'float8':
      return 'double precision';
    case 'float4':
      return 'real';
    case 'bool':
      return 'boolean';
    case 'timestamptz':
    case 'timestamp':
      return precision == null ? udt : `${udt}(${Number(precision)})`;
    default:
      return udt;
  }
}

/**
 * Reads the current schema of a PostgreSQL database (PostgreSQL and PGlite share it): tables, columns
 * from information_schema, indexes and foreign keys from pg_catalog.
 */
export async function introspectPostgres(execute: ExecuteStatement): Promise<SchemaModel> {
  const tables = (await execute(TABLES, [])).rows.map((r) => String(r.table));
  const columns = (await execute(COLUMNS, [])).rows.map((r): [string, ColumnModel] => [
    String(r.table),
    {
      name: String(r.name),
      ...parseColumnType(
        canonicalType(String(r.udt), r.length, r.precision, r.numericPrecision, r.numericScale),
      ),
      nullable: r.nullable === 'YES',
      default: r.default == null ? null : String(r.default),
    },
  ]);
  const indexes = (await execute(INDEXES, [])).rows.map((r): [string, IndexModel] => [
    String(r.table),
    { name: String(r.name), columns: String(r.columns).split(','), unique: r.unique === true },
  ]);
  const foreignKeys = (await execute(FOREIGN_KEYS, [])).rows.map((r): [string, ForeignKeyModel] => [
    String(r.table),
    {
      name: String(r.name),
      columns: String(r.columns).split(','),
      referencedTable: String(r.referenced),
      referencedColumns: String(r.refColumns).split(','),
      onDelete: POSTGRES_ACTIONS[String(r.onDelete)] ?? 'unknown',
    },
  ]);
  return assembleSchema(tables, columns, indexes, foreignKeys);
}
