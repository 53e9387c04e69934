import type { FieldMeta } from '@berth/core';
import type { SqlDialect } from './sql-dialect.js';

/** PostgreSQL's limit on `varchar(n)`; longer strings are `text`. */
const MAX_VARCHAR = 10_485_760;

function columnType(field: FieldMeta): string {
  switch (field.kind) {
    case 'id':
      // COLLATE "C" orders and compares by bytes whatever the database's locale, like MySQL's *_bin
      // collations and MongoDB, so sorting and keyset cursors agree across backends.
      return `varchar(${field.max ?? 36}) COLLATE "C"`;
    case 'string': {
      const max = field.max ?? 255;
      return max <= MAX_VARCHAR ? `varchar(${max}) COLLATE "C"` : 'text COLLATE "C"';
    }
    case 'integer':
      return 'bigint';
    case 'number':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    case 'datetime':
    case 'createdAt':
    case 'updatedAt':
      return 'timestamptz(3)';
    case 'json':
      return 'jsonb';
    case 'enum':
      return `varchar(${longest(field.values ?? [])}) COLLATE "C"`;
    case 'decimal':
      return `numeric(${field.precision}, ${field.scale})`;
    case 'bigint':
      return 'bigint';
    case 'date':
      return 'date';
    case 'bytes':
      return 'bytea';
    case 'version':
      return 'integer';
  }
}

/** The longest of an enum's values, in characters (at least 1). */
function longest(values: readonly string[]): number {
  return Math.max(1, ...values.map((value) => [...value].length));
}

/** The PostgreSQL dialect, also used for PGlite. */
export const postgresDialect: SqlDialect = Object.freeze({
  name: 'postgres',
  quoteIdentifier: (name: string) => `"${name.replaceAll('"', '""')}"`,
  placeholder: (index: number) => `$${index}`,
  columnType,
  tableOptions: '',
  literal: (value: boolean) => (value ? 'TRUE' : 'FALSE'),
  beginTransaction: 'BEGIN',
  distinctFrom: (left: string, right: string) => `${left} IS DISTINCT FROM ${right}`,
  supportsReturning: true,
  supportsDataModifyingCte: true,
  upsertStyle: 'on-conflict',
  supportsCreateIndexIfNotExists: true,
  listIndexes:
    'SELECT indexname AS "name" FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1',
  listForeignKeys:
    'SELECT constraint_name AS "name" FROM information_schema.table_constraints ' +
    "WHERE table_schema = current_schema() AND table_name = $1 AND constraint_type = 'FOREIGN KEY'",
  maxParameters: 65_535,
  maxIdentifierLength: 63,
  likeEscape: '!',
  forUpdate: 'FOR UPDATE',
  forShare: 'FOR SHARE',
  regexMatch: (column: string, pattern: string) => `${column} ~ ${pattern}`,
  // In an advanced regular expression without the newline-sensitive flag, `$` matches at the end only.
  regexEnd: '$',
  booleansAsIntegers: false,
  jsonParsedByDriver: true,
  exactDecimal: (placeholder: string) => `CAST(${placeholder} AS numeric)`,
  stringLiteral: (value: string) => `'${value.replaceAll("'", "''")}'`,
});
