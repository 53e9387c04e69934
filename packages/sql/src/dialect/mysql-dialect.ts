import type { FieldMeta } from '@berth/core';
import type { SqlDialect } from './sql-dialect.js';

/** The longest `varchar` that fits MySQL's 65 535-byte row limit in utf8mb4 (4 bytes a character). */
const MAX_VARCHAR = 16_383;
/** `mediumtext` holds 16 MiB, that is this many 4-byte characters. */
const MAX_MEDIUMTEXT = 4_194_303;

/** What `createMysqlDialect` takes: the server-specific choices the MySQL and MariaDB dialects differ by. */
export interface MysqlDialectOptions {
  /**
   * The collation of string and id columns (default `utf8mb4_bin`: case-sensitive, byte-ordered, like the
   * other backends). `utf8mb4_bin` is a PAD SPACE collation, so `'a'` equals `'a '`; an adapter that knows its
   * server can pass `utf8mb4_0900_bin` (MySQL 8) or `utf8mb4_nopad_bin` (MariaDB) to compare trailing spaces too.
   */
  collation?: string;
  /**
   * The server has `INSERT ... RETURNING` (MariaDB 10.5+; not MySQL 8). Default false: database-generated
   * ids are then read from each INSERT's insert id, one row a statement.
   */
  insertReturning?: boolean;
}

/** Builds a MySQL/MariaDB dialect; `mysqlDialect` is the default one. */
export function createMysqlDialect(options: MysqlDialectOptions = {}): SqlDialect {
  const collation = options.collation ?? 'utf8mb4_bin';
  if (!/^[A-Za-z0-9_]+$/.test(collation)) throw new RangeError(`invalid collation "${collation}"`);

  function columnType(field: FieldMeta): string {
    switch (field.kind) {
      case 'id':
        // A database-generated id: AUTO_INCREMENT comes after NOT NULL (`generatedIdClause`).
        if (field.idStrategy === 'increment') return 'bigint';
        return `varchar(${field.max ?? 36}) COLLATE ${collation}`;
      case 'string': {
        const max = field.max ?? 255;
        if (max <= MAX_VARCHAR) return `varchar(${max}) COLLATE ${collation}`;
        return `${max <= MAX_MEDIUMTEXT ? 'mediumtext' : 'longtext'} COLLATE ${collation}`;
      }
      case 'integer':
        return 'bigint';
      case 'number':
        return 'double';
      case 'boolean':
        return 'tinyint(1)';
      case 'datetime':
      case 'createdAt':
      case 'updatedAt':
        // DATETIME has no time zone: berth stores UTC, and the adapter reads and writes it as UTC.
        return 'datetime(3)';
      case 'json':
        return 'json';
      case 'enum':
        return `varchar(${Math.max(1, ...(field.values ?? []).map((value) => [...value].length))}) COLLATE ${collation}`;
      case 'decimal':
        return `decimal(${field.precision}, ${field.scale})`;
      case 'bigint':
        return 'bigint';
      case 'date':
        return 'date';
      case 'bytes': {
        // varbinary counts against the 65 535-byte row limit; larger values go to blobs, stored apart.
        const max = field.max ?? 65_535;
        if (max <= 8_192) return `varbinary(${max})`;
        return max <= 65_535 ? 'blob' : max <= 16_777_215 ? 'mediumblob' : 'longblob';
      }
      case 'version':
        return 'int';
    }
  }

  return Object.freeze({
    name: 'mysql',
    quoteIdentifier: (name: string) => `\`${name.replaceAll('`', '``')}\``,
    placeholder: (_index: number) => '?',
    columnType,
    tableOptions: ` ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${collation}`,
    literal: (value: boolean) => (value ? '1=1' : '1=0'),
    beginTransaction: 'START TRANSACTION',
    distinctFrom: (left: string, right: string) => `NOT (${left} <=> ${right})`,
    supportsReturning: false,
    supportsInsertReturning: options.insertReturning ?? false,
    generatedIdClause: ' AUTO_INCREMENT',
    supportsDataModifyingCte: false,
    upsertStyle: 'locking-read',
    // MariaDB has `CREATE INDEX IF NOT EXISTS`, MySQL 8 does not: look existing indexes up on both.
    supportsCreateIndexIfNotExists: false,
    listIndexes:
      'SELECT DISTINCT INDEX_NAME AS `name` FROM information_schema.statistics ' +
      'WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    listForeignKeys:
      'SELECT CONSTRAINT_NAME AS `name` FROM information_schema.table_constraints ' +
      "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'FOREIGN KEY'",
    maxParameters: 65_535,
    arrayParameters: false,
    maxIdentifierLength: 64,
    likeEscape: '!',
    forUpdate: 'FOR UPDATE',
    // MariaDB has no `FOR SHARE`; MySQL 8 accepts both spellings.
    forShare: 'LOCK IN SHARE MODE',
    regexMatch: (column: string, pattern: string) => `${column} REGEXP ${pattern}`,
    // PCRE (MariaDB) and ICU (MySQL 8): `$` also matches before a final newline, `\z` only at the end.
    regexEnd: '\\z',
    booleansAsIntegers: true,
    jsonParsedByDriver: false,
    // 23 integer digits and MAX_ROUNDING_SCALE (7) places: every operand the core accepts fits exactly.
    stringLiteral: (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`,
    exactDecimal: (placeholder: string) => `CAST(${placeholder} AS DECIMAL(30,7))`,
  });
}

/** The MySQL 8 / MariaDB dialect with `utf8mb4_bin` string columns. */
export const mysqlDialect: SqlDialect = createMysqlDialect();
