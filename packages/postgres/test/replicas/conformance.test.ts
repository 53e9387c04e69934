import { Database } from '@berth/core';
import { runReplicaConformanceSuite } from '@berth/testkit';
import pg from 'pg';
import { PostgresDriver } from '../../src/index.js';
import { scaleOutServerProblem } from '../support/scale-out-server.js';
import { TEST_DATABASE, TEST_URL } from '../support/server.js';

/**
 * The whole conformance suite once more with a streaming replica configured (`scripts/scale-out/up.sh`
 * starts it on 127.0.0.1:5433; `PG_REPLICA_TEST_URL` names another): see `runReplicaConformanceSuite`
 * for what it proves and which groups it leaves to the plain PostgreSQL suite, with the reason.
 */
const REPLICA_SERVER = process.env.PG_REPLICA_TEST_URL ?? 'postgres://postgres@127.0.0.1:5433';
const replicaUrl = (() => {
  const url = new URL(REPLICA_SERVER);
  url.pathname = `/${TEST_DATABASE}`;
  return url.href;
})();
const APPLICATION_NAME = `berth_replica_conformance_${process.pid}`;
const DEFAULT_MAX = 4;

const unusable = await scaleOutServerProblem('the PostgreSQL replica', replicaUrl, async (client) => {
  const { rows } = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
  return rows[0]?.r ? undefined : 'it is not in recovery (not a replica)';
});

const raw = new pg.Pool({ connectionString: TEST_URL, max: 1, application_name: 'berth_replica_raw' });
const count = async (sql: string): Promise<number> =>
  Number((await raw.query<{ n: string }>(sql, [APPLICATION_NAME])).rows[0]?.n ?? 0);
const primary = new URL(TEST_URL);

runReplicaConformanceSuite({
  name: 'postgres with a read replica',
  label: 'postgres',
  unusable,
  primary: { host: primary.hostname, port: Number(primary.port || 5432) },
  loneInsert: /INSERT INTO/,
  async teardown() {
    await raw.end();
  },
  async open({ entities, pool, proxyPort, ...events }) {
    const url = new URL(TEST_URL);
    url.hostname = '127.0.0.1';
    url.port = String(proxyPort);
    const driver = new PostgresDriver({
      url: url.href,
      max: DEFAULT_MAX,
      ...pool,
      applicationName: APPLICATION_NAME,
    });
    const replica = new PostgresDriver({
      url: replicaUrl,
      max: 2,
      ...pool,
      applicationName: `${APPLICATION_NAME}_r`,
    });
    return Database.open(driver, {
      entities,
      pool,
      ...events,
      replicas: [{ driver: replica, name: 'replica' }],
    });
  },
  serverConnections: () => count('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1'),
  openTransactions: () =>
    count(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
    ),
  async killConnection(connectionId) {
    await raw.query('SELECT pg_terminate_backend($1::int)', [Number(connectionId)]);
  },
  async readRaw(table) {
    return (await raw.query(`SELECT * FROM "${table.replaceAll('"', '""')}"`)).rows;
  },
});
