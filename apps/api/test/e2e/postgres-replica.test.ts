import pg from 'pg';
import { runApiSuite } from './api-suite.js';
import { unreachable } from './support/backend-gate.js';

/**
 * The whole contract once more on PostgreSQL with a streaming replica configured (reads routed to it by
 * position): `scripts/scale-out/up.sh` starts the replica on 127.0.0.1:5433 (`PG_REPLICA_TEST_URL`).
 */
const SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const REPLICA_SERVER = process.env.PG_REPLICA_TEST_URL ?? 'postgres://postgres@127.0.0.1:5433';
const DATABASE = `berth_api_replica${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;

async function on<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const replicaAt = (database: string) => {
  const url = new URL(REPLICA_SERVER);
  url.pathname = `/${database}`;
  return url.href;
};

const skip = await on(replicaAt('postgres'), async (c) => {
  const { rows } = await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
  if (!rows[0]?.r) throw new Error('it is not a replica');
}).then(
  () => false,
  (error) => unreachable('the PostgreSQL replica', REPLICA_SERVER, error),
);

runApiSuite({
  name: 'postgres',
  databaseUrl: `postgres://postgres@127.0.0.1:5432/${DATABASE}`,
  skip,
  replicas: {
    urls: [replicaAt(DATABASE)],
    pauseReplay: () => on(replicaAt('postgres'), (c) => c.query('SELECT pg_wal_replay_pause()')),
    resumeReplay: () => on(replicaAt('postgres'), (c) => c.query('SELECT pg_wal_replay_resume()')),
    tokenPattern: /^postgres\.[0-9A-F]+\/[0-9A-F]+$/,
    foreignToken: 'mysql.1-2-3',
  },
  setup: async () => {
    await on(SERVER, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${DATABASE}`);
    });
    // The replica must have replayed the new database before the app's replica pool connects to it.
    for (let i = 0; ; i += 1) {
      const ok = await on(replicaAt(DATABASE), async () => true).catch(() => false);
      if (ok) break;
      if (i > 300) throw new Error(`the replica did not replay CREATE DATABASE ${DATABASE}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  },
  teardown: () => on(SERVER, (c) => c.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`)),
});
