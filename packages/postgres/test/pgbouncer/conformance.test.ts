import { Database } from '@berth/core';
import { runConformanceSuite, TcpProxy } from '@berth/testkit';
import pg from 'pg';
import { describe, it } from 'vitest';
import { PostgresDriver } from '../../src/index.js';
import { scaleOutServerProblem } from '../support/scale-out-server.js';
import { TEST_DATABASE, TEST_URL } from '../support/server.js';

/**
 * The whole conformance suite through PgBouncer in transaction pooling mode (`scripts/scale-out/pgbouncer.sh
 * up` starts one on 127.0.0.1:6432; `PGBOUNCER_TEST_URL` names another), with `pgbouncer: true`.
 *
 * Not run here, each for its reason:
 * - killed connections (`killConnection`): the server's sessions are the bouncer's, not the app's; a
 *   session killed server-side while idle is replaced by the bouncer unseen by the app, and the app's
 *   connection ids are the bouncer's, which name no server process;
 * - prepared statements: PgBouncer 1.18 cannot keep them across transactions (refused with
 *   `ValidationError`, tested below the suite).
 * What differs, and is asserted: a lone INSERT whose reply was lost is `CommitOutcomeUnknownError` (the
 * bouncer hides which server session ran it, so it cannot be fenced and asked), and the "server-side"
 * connection counts are the bouncer's own (`SHOW CLIENTS`), the app's peer.
 */
const BOUNCER_URL = process.env.PGBOUNCER_TEST_URL ?? 'postgres://postgres@127.0.0.1:6432';
const APPLICATION_NAME = `berth_pgbouncer_${process.pid}`;
const DEFAULT_MAX = 4;

function bouncerUrl(database: string, port?: number): string {
  const url = new URL(BOUNCER_URL);
  url.pathname = `/${database}`;
  if (port !== undefined) {
    url.hostname = '127.0.0.1';
    url.port = String(port);
  }
  url.searchParams.set('pgbouncer', 'true');
  return url.href;
}

const unreachable = await scaleOutServerProblem(
  'PgBouncer',
  bouncerUrl('pgbouncer').replace('?pgbouncer=true', ''),
  async (client) => {
    await client.query('SHOW VERSION');
    return undefined;
  },
);
if (unreachable !== undefined) {
  describe('berth conformance: postgres through PgBouncer', () => {
    it.skip(`SKIPPED: PgBouncer is unusable (${unreachable})`, () => undefined);
  });
} else {
  // Server truth: the bouncer's view of the app's connections, and the server's of its transactions.
  const admin = new pg.Client({ connectionString: bouncerUrl('pgbouncer').replace('?pgbouncer=true', '') });
  const raw = new pg.Pool({ connectionString: TEST_URL, max: 1, application_name: 'berth_pgbouncer_raw' });
  let proxy: TcpProxy | undefined;
  const open = (port: number, pool: object | undefined) =>
    new PostgresDriver({
      url: bouncerUrl(TEST_DATABASE, port),
      max: DEFAULT_MAX,
      ...pool,
      applicationName: APPLICATION_NAME,
    });
  runConformanceSuite({
    name: 'postgres through PgBouncer (transaction mode)',
    async setup() {
      await admin.connect();
      const target = new URL(BOUNCER_URL);
      proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6432) });
    },
    async open({ entities, pool, ...events }) {
      return Database.open(open(proxy!.port, pool), { entities, pool, ...events });
    },
    async teardown() {
      await proxy?.stop();
      await admin.end();
      await raw.end();
    },
    async dropNextCommitReply(what) {
      void proxy!.dropNextReply(what === 'transaction' ? /COMMIT/ : /INSERT INTO/);
    },
    loneInsertReplyLost: 'unknown',
    migrationsRefused: true,
    async openThroughProxy({ entities, pool }) {
      const target = new URL(BOUNCER_URL);
      const own = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6432) });
      return { db: await Database.open(open(own.port, pool), { entities, pool }), proxy: own };
    },
    async serverConnections() {
      const { rows } = await admin.query<{ application_name: string; database: string }>('SHOW CLIENTS');
      return rows.filter((r) => r.application_name === APPLICATION_NAME && r.database === TEST_DATABASE)
        .length;
    },
    async openTransactions() {
      const { rows } = await raw.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'",
        [APPLICATION_NAME],
      );
      return Number(rows[0]?.n ?? 0);
    },
    async readRaw(table) {
      return (await raw.query(`SELECT * FROM "${table.replaceAll('"', '""')}"`)).rows;
    },
  });
}
