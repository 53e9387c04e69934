import mysql from 'mysql2/promise';
import { runApiSuite } from './api-suite.js';
import { unreachable } from './support/backend-gate.js';

/**
 * The whole contract once more on MariaDB with a GTID replica configured (reads routed to it by position):
 * `scripts/scale-out/up.sh` starts the primary on 127.0.0.1:3310 and the replica on :3311
 * (`MARIADB_PRIMARY_TEST_URL`, `MARIADB_REPLICA_TEST_URL`).
 */
const PRIMARY = new URL(process.env.MARIADB_PRIMARY_TEST_URL ?? 'mysql://root@127.0.0.1:3310');
const REPLICA = new URL(process.env.MARIADB_REPLICA_TEST_URL ?? 'mysql://root@127.0.0.1:3311');
const DATABASE = `berth_api_replica${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;

async function on<T>(server: URL, fn: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username || 'root'),
    password: decodeURIComponent(server.password),
    connectTimeout: 3_000,
  });
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}

const at = (server: URL, database: string) => {
  const url = new URL(server.href);
  url.pathname = `/${database}`;
  return url.href;
};

const skip = await on(REPLICA, async (c) => {
  const [rows] = await c.query('SHOW SLAVE STATUS');
  if ((rows as { Slave_IO_Running?: string }[])[0]?.Slave_IO_Running !== 'Yes') {
    throw new Error('it does not replicate');
  }
}).then(
  () => false,
  (error) => unreachable('the MariaDB replica', REPLICA.href, error),
);

runApiSuite({
  name: 'mysql',
  databaseUrl: at(PRIMARY, DATABASE),
  skip,
  replicas: {
    urls: [at(REPLICA, DATABASE)],
    pauseReplay: () => on(REPLICA, (c) => c.query('STOP SLAVE SQL_THREAD')),
    resumeReplay: () => on(REPLICA, (c) => c.query('START SLAVE SQL_THREAD')),
    tokenPattern: /^mysql\.\d+-\d+-\d+$/,
    foreignToken: 'postgres.0/16B3748',
  },
  setup: async () => {
    await on(PRIMARY, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
      await c.query(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4`);
      // The replica must have applied the new database before the app's replica pool connects to it.
      const [rows] = await c.query('SELECT @@gtid_binlog_pos AS pos');
      const pos = (rows as { pos: string }[])[0]!.pos;
      await on(REPLICA, (r) => r.query('SELECT MASTER_GTID_WAIT(?, 30)', [pos]));
    });
  },
  teardown: () => on(PRIMARY, (c) => c.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``)),
});
