/**
 * The SQL layer shared by berth's PostgreSQL, PGlite and MySQL/MariaDB adapters: dialects, a pure statement
 * compiler, row codecs, error mapping and a DriverConnection base class.
 *
 * @packageDocumentation
 * @module @berth/sql
 */
// Dialects
export type { SqlDialect } from './dialect/sql-dialect.js';
export { postgresDialect } from './dialect/postgres-dialect.js';
export { createMysqlDialect, mysqlDialect } from './dialect/mysql-dialect.js';
export type { MysqlDialectOptions } from './dialect/mysql-dialect.js';
export { fitIdentifier } from './dialect/fit-identifier.js';

// Compiler
export type { CompiledStatement } from './compiler/compiled-statement.js';
export { ParameterList } from './compiler/parameter-list.js';
export { compileCondition, whereClause } from './compiler/compile-condition.js';
export { likePattern } from './compiler/like-pattern.js';
export { caseInsensitivePattern } from './compiler/case-insensitive-pattern.js';
export { compileFind } from './compiler/compile-find.js';
export { compileCount } from './compiler/compile-count.js';
export { aggregateAlias, compileAggregate } from './compiler/compile-aggregate.js';
export { decodeAggregateRow } from './codec/decode-aggregate-row.js';
export { compileInsert, insertChunkSize, MAX_ROWS_PER_INSERT } from './compiler/compile-insert.js';
export { compileUpdate } from './compiler/compile-update.js';
export { compileModifyCached } from './compiler/compile-modify-cached.js';
export { compileFindCached } from './compiler/compile-find-cached.js';
export { compileDelete } from './compiler/compile-delete.js';
export { compileCreateTable } from './compiler/compile-create-table.js';
export { compileCreateIndexes, compileListIndexes, indexName } from './compiler/compile-create-indexes.js';
export {
  compileAddForeignKeys,
  compileListForeignKeys,
  hasForeignKeys,
} from './compiler/compile-foreign-keys.js';

// Values
export { decodeValue, encodeRow, encodeValue } from './codec/row-codec.js';
export { decodeRow } from './codec/row-decoder.js';
export { parseDatetime } from './codec/parse-datetime.js';

// Errors
export { findUniqueIndex } from './errors/find-unique-index.js';
export type { UniqueIndexMatch } from './errors/find-unique-index.js';
export { isConnectionFailure } from './errors/is-connection-failure.js';
export { mapPostgresError } from './errors/map-postgres-error.js';
export { mapMysqlError } from './errors/map-mysql-error.js';

// Connection
export { SqlConnection } from './connection/sql-connection.js';
export { loneInsertResolver, lostWriteError } from './connection/lost-write.js';
export type { ExecuteStatement, SqlArrayResult, SqlResult } from './connection/sql-result.js';
export {
  MYSQL_SCHEMA_LOCK_NAME,
  POSTGRES_SCHEMA_LOCK_KEY,
  withMysqlSchemaLock,
  withPostgresSchemaLock,
} from './connection/schema-lock.js';

// Raw SQL and transaction options
export { compileRaw } from './compiler/compile-raw.js';
export { beginStatements } from './dialect/begin-statements.js';

// Migrations
export {
  MYSQL_MIGRATION_LOCK_NAME,
  POSTGRES_MIGRATION_LOCK_KEY,
  SqlMigrationDriver,
} from './migration/sql-migration-driver.js';
export type { SqlMigrationContext } from './migration/sql-migration-driver.js';
export { introspectPostgres } from './migration/introspect-postgres.js';
export { introspectMysql } from './migration/introspect-mysql.js';
export { parseColumnType, withoutCollation } from './migration/parse-column-type.js';
export { sqlSchemaTarget } from './migration/sql-schema-target.js';
export { renderSqlMigration, renderStep } from './migration/render-sql.js';
export { NO_TRANSACTION_DIRECTIVE, splitStatements } from './migration/split-statements.js';

// TLS
export { TLS_MODES } from './tls/tls-options.js';
export type { TlsMode, TlsOptions } from './tls/tls-options.js';
export { nodeTlsOptions, resolveTls } from './tls/resolve-tls.js';
export type { NodeTlsOptions, ResolvedTls } from './tls/resolve-tls.js';
export { mapTlsError, tlsError } from './tls/map-tls-error.js';
