import type { MysqlFlavour } from './mysql-server.js';

/**
 * The `sql_mode` berth sets on every session: strict for every engine (a value that does not fit is an
 * error, never silently truncated or zeroed), no zero dates, division by zero an error. It leaves out
 * `ANSI_QUOTES` (berth quotes identifiers with backticks) and `NO_BACKSLASH_ESCAPES`. Either may be set
 * through `sessionVariables`: values are bound in prepared statements, never interpolated, so neither
 * changes what a value means.
 */
export const BERTH_SQL_MODE =
  'STRICT_ALL_TABLES,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,' +
  'NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY';

/**
 * The session variables MariaDB reports in OK packets when they change: its default list (mysql2 follows
 * `character_set_client` through it) plus `last_gtid`, so that the reply to a write that committed carries
 * its GTID and read replicas learn the primary's position without a round trip. Without a binary log
 * there are no GTIDs and nothing more is sent.
 */
export const MARIADB_TRACKED_VARIABLES =
  'autocommit,character_set_client,character_set_connection,character_set_results,time_zone,last_gtid';

/** What a session is set up with, beyond berth's fixed settings. */
export interface SessionOptions {
  /** The statement timeout in milliseconds; absent or 0 leaves the server's setting. */
  statementTimeoutMs?: number;
  /**
   * More session variables, set after berth's own (for example `{ wait_timeout: 1 }` in tests, or
   * `{ transaction_isolation: 'READ-COMMITTED' }`). Names are plain identifiers; values numbers or strings.
   */
  sessionVariables?: Readonly<Record<string, string | number>>;
}

function literal(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`a session variable must be finite, got ${value}`);
    return String(value);
  }
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * The one `SET` statement that prepares a session, run on every new connection and again after a
 * session reset (COM_RESET_CONNECTION reverts every session variable, the character set included):
 *
 * - `NAMES utf8mb4`, `time_zone = '+00:00'` (DATETIME columns hold UTC; mysql2 is told `timezone: 'Z'`
 *   too) and `sql_mode` (see `BERTH_SQL_MODE`);
 * - the statement timeout, which the two servers implement differently:
 *   MariaDB's `max_statement_time` is in seconds (fractions allowed) and cancels any statement, writes and
 *   waits for table locks included, with error 1969; MySQL's `max_execution_time` is in milliseconds and
 *   only cancels read-only SELECTs (error 3024), so on MySQL berth also bounds lock waits, the usual way a
 *   write hangs, with `lock_wait_timeout` and `innodb_lock_wait_timeout` (whole seconds, rounded up; error
 *   1205, a retryable `TransactionConflictError`);
 * - on MariaDB, `session_track_system_variables` (see `MARIADB_TRACKED_VARIABLES`);
 * - the isolation level is left alone: InnoDB's default, REPEATABLE READ (the variable is `tx_isolation`
 *   before MariaDB 11.1 and `transaction_isolation` on MySQL 8, so set it through `sessionVariables` with
 *   the name your server knows if you need another).
 */
export function sessionStatement(flavour: MysqlFlavour, options: SessionOptions = {}): string {
  const assignments = ['NAMES utf8mb4', `time_zone = '+00:00'`, `sql_mode = '${BERTH_SQL_MODE}'`];
  if (flavour === 'mariadb')
    assignments.push(`session_track_system_variables = '${MARIADB_TRACKED_VARIABLES}'`);
  const ms = options.statementTimeoutMs ?? 0;
  if (!(ms >= 0) || !Number.isFinite(ms))
    throw new RangeError('statementTimeoutMs must be a non-negative number');
  if (ms > 0) {
    if (flavour === 'mariadb') {
      assignments.push(`max_statement_time = ${(Math.ceil(ms) / 1000).toFixed(3)}`);
    } else {
      const seconds = Math.max(1, Math.ceil(ms / 1000));
      assignments.push(
        `max_execution_time = ${Math.ceil(ms)}`,
        `lock_wait_timeout = ${seconds}`,
        `innodb_lock_wait_timeout = ${seconds}`,
      );
    }
  }
  for (const [name, value] of Object.entries(options.sessionVariables ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new RangeError(`invalid session variable name "${name}"`);
    assignments.push(`${name} = ${literal(value)}`);
  }
  return `SET ${assignments.join(', ')}`;
}
