import mysql from 'mysql2/promise';
import { runApiSuite } from './api-suite.js';
import { unreachable } from './support/backend-gate.js';

const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 3_000 };
const DATABASE = `berth_api${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;

async function admin<T>(fn: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection(SERVER);
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}

const skip = await admin((c) => c.query('SELECT 1')).then(
  () => false,
  (error) => unreachable('MySQL/MariaDB', 'mysql://root@127.0.0.1:3306', error),
);

runApiSuite({
  name: 'mysql',
  databaseUrl: `mysql://root@127.0.0.1:3306/${DATABASE}`,
  skip,
  setup: () =>
    admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
      await c.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4`);
    }),
  teardown: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${DATABASE}`)),
});
