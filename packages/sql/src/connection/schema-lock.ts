import { DatabaseError } from '@berth/core';
import type { ExecuteStatement } from './sql-result.js';

/** The advisory lock key berth's schema changes take on PostgreSQL: "berth" in ASCII, as a number. */
export const POSTGRES_SCHEMA_LOCK_KEY = 0x6265727468;

/** The MySQL named lock berth's schema changes take. */
export const MYSQL_SCHEMA_LOCK_NAME = 'berth_schema';

/**
 * Runs `fn` holding PostgreSQL's transaction-level advisory lock, for `SqlConnection.withSchemaLock`.
 * PostgreSQL DDL is transactional, so the schema changes commit together and the lock is released with the
 * transaction, even if the connection dies. Inside an open transaction it joins that transaction.
 */
export async function withPostgresSchemaLock<T>(
  execute: ExecuteStatement,
  inTransaction: boolean,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = `SELECT pg_advisory_xact_lock(${POSTGRES_SCHEMA_LOCK_KEY})`;
  if (inTransaction) {
    await execute(lock, []);
    return fn();
  }
  await execute('BEGIN', []);
  try {
    await execute(lock, []);
    const result = await fn();
    await execute('COMMIT', []);
    return result;
  } catch (error) {
    try {
      await execute('ROLLBACK', []);
    } catch {
      // The original error says more; a failed rollback on a broken connection adds nothing.
    }
    throw error;
  }
}

/**
 * Runs `fn` holding MySQL's session-level named lock `berth_schema`, for `SqlConnection.withSchemaLock`.
 * MySQL DDL commits implicitly and cannot be transactional, so the lock only serializes berth processes
 * creating the schema at once. Waits up to `timeoutSeconds`, then throws `DatabaseError`.
 */
export async function withMysqlSchemaLock<T>(
  execute: ExecuteStatement,
  fn: () => Promise<T>,
  timeoutSeconds = 30,
): Promise<T> {
  const { rows } = await execute('SELECT GET_LOCK(?, ?) AS `acquired`', [
    MYSQL_SCHEMA_LOCK_NAME,
    timeoutSeconds,
  ]);
  if (Number(rows[0]?.acquired) !== 1) {
    throw new DatabaseError(
      `timed out after ${timeoutSeconds} s waiting for the schema lock "${MYSQL_SCHEMA_LOCK_NAME}"`,
    );
  }
  try {
    return await fn();
  } finally {
    try {
      await execute('SELECT RELEASE_LOCK(?)', [MYSQL_SCHEMA_LOCK_NAME]);
    } catch {
      // The server releases a session's named locks when the session ends, which is what a failure here means.
    }
  }
}
