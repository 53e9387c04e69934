/**
 * berth adapter for PostgreSQL over node-postgres (pg): berth's pool contract in front of pg's Pool,
 * hardened against dropped, killed and stuck connections.
 *
 * @packageDocumentation
 * @module @berth/postgres
 */
export { adapter } from './postgres-adapter.js';
export { PostgresDriver, POSTGRES_CAPABILITIES } from './postgres-driver.js';
export {
  POSTGRES_DEFAULTS,
  QUERY_TIMEOUT_MARGIN,
  queryTimeoutMarginMs,
  statementBoundMs,
} from './postgres-driver-config.js';
export type { PostgresDriverConfig } from './postgres-driver-config.js';
export { PostgresConnection } from './postgres-connection.js';
export type { PostgresConnectionOptions, TransactionStatus } from './postgres-connection.js';
export { toPgPoolConfig } from './to-pg-pool-config.js';
export { checkPostgresUrl, POSTGRES_SCHEMES, takePgbouncerParam } from './postgres-url.js';
export { PreparedStatementCache, preparedStatementName } from './prepared-statement-cache.js';
export type {
  PgModuleLike,
  PgPoolClientLike,
  PgPoolConfig,
  PgPoolConstructor,
  PgPoolLike,
  PgQueryConfigLike,
  PgQueryResultLike,
} from './pg-like.js';
export { POSTGRES_REPLICATION } from './postgres-replication.js';
