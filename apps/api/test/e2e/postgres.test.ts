import pg from 'pg';
import { runApiSuite } from './api-suite.js';
import { unreachable } from './support/backend-gate.js';

const SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE = `berth_api${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const skip = await admin((c) => c.query('SELECT 1')).then(
  () => false,
  (error) => unreachable('PostgreSQL', SERVER, error),
);

runApiSuite({
  name: 'postgres',
  databaseUrl: `postgres://postgres@127.0.0.1:5432/${DATABASE}`,
  skip,
  // A fresh database per run: a leftover from a crashed run is dropped first.
  setup: () =>
    admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${DATABASE}`);
    }),
  teardown: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`)),
});
