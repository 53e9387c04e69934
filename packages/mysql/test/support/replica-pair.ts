import type { Connection } from 'mysql2/promise';
import { adminOf } from './admin-connection.js';

/**
 * The MariaDB primary and GTID replica that `scripts/scale-out/up.sh` starts (mariadb-replicas.sh:
 * 127.0.0.1:3310 and :3311; `MARIADB_PRIMARY_TEST_URL` / `MARIADB_REPLICA_TEST_URL` name others). The
 * tests' database lives on the primary and reaches the replica through replication.
 */
export const PRIMARY_SERVER = process.env.MARIADB_PRIMARY_TEST_URL ?? 'mysql://root@127.0.0.1:3310';
export const REPLICA_SERVER = process.env.MARIADB_REPLICA_TEST_URL ?? 'mysql://root@127.0.0.1:3311';
export const REPLICA_DATABASE = `berth_mysql_replicas${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;

export function databaseUrl(server: string): string {
  const url = new URL(server);
  url.pathname = `/${REPLICA_DATABASE}`;
  return url.href;
}

async function firstRow(connection: Connection, sql: string): Promise<Record<string, unknown>> {
  const [rows] = await connection.query(sql);
  return (rows as Record<string, unknown>[])[0] ?? {};
}

/**
 * Checks the pair: the primary logs GTIDs, the replica replicates it. Returns why it cannot be used, or
 * `undefined`. Under CI=true an unusable pair fails the run, never a silent skip; elsewhere the caller's
 * tests are skipped, with a line nobody can miss.
 */
export async function replicaPairProblem(): Promise<string | undefined> {
  let problem: string | undefined;
  const opened: Connection[] = [];
  try {
    const primary = await adminOf(PRIMARY_SERVER);
    opened.push(primary);
    const replica = await adminOf(REPLICA_SERVER);
    opened.push(replica);
    if (Number((await firstRow(primary, 'SELECT @@log_bin AS b')).b) !== 1) {
      problem = 'the primary has log_bin OFF';
    } else {
      const [rows] = await replica.query('SHOW SLAVE STATUS');
      const status = (rows as Record<string, unknown>[])[0];
      if (status?.Slave_IO_Running !== 'Yes') problem = 'the replica does not replicate (SHOW SLAVE STATUS)';
    }
  } catch (error) {
    problem = (error as Error).message;
  } finally {
    await Promise.all(opened.map((c) => c.end().catch(() => undefined)));
  }
  if (problem === undefined) return undefined;
  const where = `${new URL(PRIMARY_SERVER).host} and ${new URL(REPLICA_SERVER).host}`;
  const message = `the MariaDB primary and replica at ${where} are unusable (${problem}); start them with scripts/scale-out/up.sh`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the tests that need them must run)`);
  console.warn(`\n!!! @berth/mysql: ${message}\n!!! SKIPPING the tests that need them.\n`);
  return problem;
}
