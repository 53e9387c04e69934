import type { Database, Lease } from '@berth/core';
import type { MysqlConnection } from '../../src/mysql-connection.js';

/** Runs raw SQL on a berth connection through its protected `execute` (tests only). */
export function sql(
  connection: MysqlConnection,
  text: string,
  params: unknown[] = [],
): Promise<{ rows: Record<string, unknown>[]; affectedRows: number }> {
  return (connection as unknown as { execute: (s: string, p: unknown[]) => Promise<never> }).execute(
    text,
    params,
  );
}

/** Checks a connection out of a database's pool, with its lease. */
export async function checkout(db: Database): Promise<{ lease: Lease; connection: MysqlConnection }> {
  const lease = await db.pool.acquire();
  return { lease, connection: lease.connection as MysqlConnection };
}

/** Runs `fn` on one checked-out connection and gives it back. */
export async function withConnection<T>(db: Database, fn: (c: MysqlConnection) => Promise<T>): Promise<T> {
  const { lease, connection } = await checkout(db);
  try {
    return await fn(connection);
  } finally {
    await db.pool.release(lease);
  }
}
