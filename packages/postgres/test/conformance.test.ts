import { Database } from '@berth/core';
import { runConformanceSuite, TcpProxy } from '@berth/testkit';
import pg from 'pg';
import { describe, inject, it } from 'vitest';
import { PostgresDriver } from '../src/index.js';
import { TEST_URL } from './support/server.js';

/** Every pool the suite opens carries this name, so the server's view of them can be counted. */
const APPLICATION_NAME = `berth_conformance_${process.pid}`;
/** Small pools: PostgreSQL allows 100 connections in all, and other packages' tests run alongside. */
const DEFAULT_MAX = 4;

if (inject('postgresAvailable')) {
  // Raw reads and server-side counts go through a client pool of their own, outside berth.
  const raw = new pg.Pool({ connectionString: TEST_URL, max: 1, application_name: 'berth_conformance_raw' });
  const count = async (sql: string): Promise<number> =>
    Number((await raw.query<{ n: string }>(sql, [APPLICATION_NAME])).rows[0]?.n ?? 0);

  // With plain statements (the default), with prepared ones, and with reads pipelined: the same contract.
  const variants = [
    { name: 'postgres', options: {} },
    { name: 'postgres (prepared statements)', options: { preparedStatements: true } },
    // Packed, so reads share a connection whenever two run at once, not only once every connection is busy.
    { name: 'postgres (pipeline)', options: { pipeline: true, pipelineFill: 'pack' } },
  ] as const;
  for (const [index, variant] of variants.entries()) {
    const last = index === variants.length - 1;
    // Pools reach the server through a fault proxy, so a reply can be lost on demand (`dropNextCommitReply`).
    let proxy: TcpProxy | undefined;
    runConformanceSuite({
      name: variant.name,
      async setup() {
        const target = new URL(TEST_URL);
        proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
      },
      async open({ entities, pool, ...events }) {
        const url = new URL(TEST_URL);
        url.hostname = '127.0.0.1';
        url.port = String(proxy!.port);
        const driver = new PostgresDriver({
          url: url.href,
          max: DEFAULT_MAX,
          ...pool,
          applicationName: APPLICATION_NAME,
          ...variant.options,
        });
        return Database.open(driver, { entities, pool, ...events });
      },
      async teardown() {
        await proxy?.stop();
        if (last) await raw.end();
      },
      async dropNextCommitReply(what) {
        void proxy!.dropNextReply(what === 'transaction' ? /COMMIT/ : /INSERT INTO/);
      },
      async openThroughProxy({ entities, pool }) {
        const url = new URL(TEST_URL);
        const proxy = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
        url.hostname = '127.0.0.1';
        url.port = String(proxy.port);
        const driver = new PostgresDriver({
          url: url.href,
          max: DEFAULT_MAX,
          ...pool,
          applicationName: APPLICATION_NAME,
          ...variant.options,
        });
        return { db: await Database.open(driver, { entities, pool }), proxy };
      },
      serverConnections: () =>
        count('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1'),
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
  }
} else {
  describe('berth conformance: postgres', () => {
    it.skip('SKIPPED: PostgreSQL is unreachable (see the warning above)', () => undefined);
  });
}
