/**
 * berth adapter for MySQL 8 and MariaDB 10.11+ over mysql2's pool: session settings, statement timeouts,
 * clean release and dead-connection eviction.
 *
 * @packageDocumentation
 * @module @berth/mysql
 */
export { adapter } from './mysql-adapter.js';
export { MysqlDriver, MYSQL_CAPABILITIES } from './mysql-driver.js';
export {
  MYSQL_DEFAULTS,
  mysql2PoolOptions,
  STATEMENT_BOUND_MARGIN,
  statementBoundMs,
} from './mysql-driver-config.js';
export type { MysqlDriverConfig, ResetOnRelease } from './mysql-driver-config.js';
export { MysqlConnection } from './mysql-connection.js';
export { describeServer, defaultCollation, flavourOf } from './mysql-server.js';
export type { MysqlFlavour, MysqlServer } from './mysql-server.js';
export { BERTH_SQL_MODE, MARIADB_TRACKED_VARIABLES, sessionStatement } from './mysql-session.js';
export { MARIADB_REPLICATION } from './replication/mariadb-replication.js';
export { compareGtidPositions, mergeGtidPositions, parseGtidPosition } from './replication/gtid-position.js';
export type { SessionOptions } from './mysql-session.js';
export { parseMysqlUrl } from './mysql-url.js';
export type { MysqlLocation } from './mysql-url.js';
export type {
  CreateMysql2Pool,
  Mysql2CoreConnection,
  Mysql2CorePool,
  Mysql2Pool,
  Mysql2PoolConnection,
  Mysql2Queue,
  Mysql2QueryResult,
} from './mysql2-like.js';
