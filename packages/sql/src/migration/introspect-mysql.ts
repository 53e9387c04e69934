import type { ColumnModel, ForeignKeyModel, IndexModel, ReferentialAction, SchemaModel } from '@berth/core';
import type { ExecuteStatement } from '../connection/sql-result.js';
import { assembleSchema } from './assemble-schema.js';
import { parseColumnType } from './parse-column-type.js';

const TABLES =
  "SELECT TABLE_NAME AS `table` FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";

const COLUMNS =
  'SELECT TABLE_NAME AS `table`, COLUMN_NAME AS `name`, IS_NULLABLE AS `nullable`, COLUMN_DEFAULT AS `default`, ' +
  'COLUMN_TYPE AS `type` FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ' +
  'ORDER BY TABLE_NAME, ORDINAL_POSITION';

const INDEXES =
  'SELECT TABLE_NAME AS `table`, INDEX_NAME AS `name`, NON_UNIQUE AS `nonUnique`, COLUMN_NAME AS `column` ' +
  "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' " +
  'ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX';

const FOREIGN_KEYS =
  'SELECT k.TABLE_NAME AS `table`, k.CONSTRAINT_NAME AS `name`, k.COLUMN_NAME AS `column`, ' +
  'k.REFERENCED_TABLE_NAME AS `referenced`, k.REFERENCED_COLUMN_NAME AS `refColumn`, r.DELETE_RULE AS `onDelete` ' +
  'FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r ' +
  'ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME ' +
  'WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL ' +
  'ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION';

/** `REFERENTIAL_CONSTRAINTS.DELETE_RULE` as berth names the actions (SET DEFAULT is none of them). */
const MYSQL_ACTIONS: Record<string, ReferentialAction> = {
  CASCADE: 'cascade',
  RESTRICT: 'restrict',
  'SET NULL': 'setNull',
  'NO ACTION': 'noAction',
};

/** MariaDB's JSON is LONGTEXT with a `json_valid` CHECK named after the column; MySQL 8 has a JSON type. */
const JSON_CHECKS =
  'SELECT TABLE_NAME AS `table`, CONSTRAINT_NAME AS `name`, CHECK_CLAUSE AS `clause` ' +
  'FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()';

/** `bigint(20)` -> `bigint`, `int(11) unsigned` -> `int unsigned`: display widths say nothing about range. */
function canonicalType(columnType: string): string {
  const type = columnType.toLowerCase();
  if (type === 'tinyint(1)') return type;
  return type.replace(/^(tinyint|smallint|mediumint|int|bigint)\(\d+\)/, '$1');
}

async function jsonColumns(execute: ExecuteStatement): Promise<Set<string>> {
  try {
    const { rows } = await execute(JSON_CHECKS, []);
    const found = new Set<string>();
    for (const row of rows) {
      const match = /^json_valid\(`([^`]+)`\)$/i.exec(String(row.clause).trim());
      if (match) found.add(`${String(row.table)}.${match[1]}`);
    }
    return found;
  } catch {
    // MySQL 8's CHECK_CONSTRAINTS has no TABLE_NAME; it reports JSON columns as `json` anyway.
    return new Set();
  }
}

/** Reads the current database of a MySQL/MariaDB server from information_schema. */
export async function introspectMysql(execute: ExecuteStatement): Promise<SchemaModel> {
  const tables = (await execute(TABLES, [])).rows.map((r) => String(r.table));
  const json = await jsonColumns(execute);
  const columns = (await execute(COLUMNS, [])).rows.map((r): [string, ColumnModel] => {
    const table = String(r.table);
    const name = String(r.name);
    const type = json.has(`${table}.${name}`) ? 'json' : canonicalType(String(r.type));
    // MariaDB prints "no default" on a nullable column as the text NULL.
    const fallback = r.default == null || r.default === 'NULL' ? null : String(r.default);
    return [table, { name, ...parseColumnType(type), nullable: r.nullable === 'YES', default: fallback }];
  });
  const grouped = new Map<
    string,
    { table: string; index: { name: string; columns: string[]; unique: boolean } }
  >();
  for (const r of (await execute(INDEXES, [])).rows) {
    const key = `${String(r.table)}\u0000${String(r.name)}`;
    let entry = grouped.get(key);
    if (!entry) {
      entry = {
        table: String(r.table),
        index: { name: String(r.name), columns: [], unique: Number(r.nonUnique) === 0 },
      };
      grouped.set(key, entry);
    }
    entry.index.columns.push(String(r.column));
  }
  const indexes = [...grouped.values()].map((e): [string, IndexModel] => [e.table, e.index]);
  const keys = new Map<
    string,
    {
      table: string;
      fk: {
        name: string;
        columns: string[];
        referencedTable: string;
        referencedColumns: string[];
        onDelete: ReferentialAction | 'unknown';
      };
    }
  >();
  for (const r of (await execute(FOREIGN_KEYS, [])).rows) {
    const key = `${String(r.table)}\u0000${String(r.name)}`;
    let entry = keys.get(key);
    if (!entry) {
      entry = {
        table: String(r.table),
        fk: {
          name: String(r.name),
          columns: [],
          referencedTable: String(r.referenced),
          referencedColumns: [],
          onDelete: MYSQL_ACTIONS[String(r.onDelete).toUpperCase()] ?? 'unknown',
        },
      };
      keys.set(key, entry);
    }
    entry.fk.columns.push(String(r.column));
    entry.fk.referencedColumns.push(String(r.refColumn));
  }
  const foreignKeys = [...keys.values()].map((e): [string, ForeignKeyModel] => [e.table, e.fk]);
  return assembleSchema(tables, columns, indexes, foreignKeys);
}
