import { Database, REPLICA_RETRY_AFTER_MS } from '@berth/core';
import { openReplicaBehindProxy, runReadReplicaCases } from '@berth/testkit';
import pg from 'pg';
import { expect, it } from 'vitest';
import { PostgresDriver } from '../../src/index.js';
import { scaleOutServerProblem } from '../support/scale-out-server.js';
import { TEST_DATABASE, TEST_URL } from '../support/server.js';

/**
 * Read replicas against a real PostgreSQL streaming replica of the test server (`scripts/scale-out/up.sh`
 * starts one on 127.0.0.1:5433; `PG_REPLICA_TEST_URL` names another): the shared cases of
 * `runReadReplicaCases`, replay paused on purpose with `pg_wal_replay_pause()`, and PostgreSQL's own.
 */
const REPLICA_SERVER = process.env.PG_REPLICA_TEST_URL ?? 'postgres://postgres@127.0.0.1:5433';
const replicaUrl = (() => {
  const url = new URL(REPLICA_SERVER);
  url.pathname = `/${TEST_DATABASE}`;
  return url.href;
})();

const unusable = await scaleOutServerProblem('the PostgreSQL replica', replicaUrl, async (client) => {
  const { rows } = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
  return rows[0]?.r ? undefined : 'it is not in recovery (not a replica)';
});

const admin = new pg.Pool({ connectionString: replicaUrl, max: 1 });

runReadReplicaCases({
  title: 'postgres read replicas: routing by WAL position',
  label: 'postgres',
  unusable,
  replicaUrl,
  async teardown() {
    await admin.end();
  },
  open: (entities, { replicaUrl: replica, pool, more }) =>
    Database.open(new PostgresDriver({ url: TEST_URL, max: 8 }), {
      ...more,
      entities,
      pool,
      // A statement timeout bounds a read on a replica that went silent mid-connection.
      replicas: [
        { driver: new PostgresDriver({ url: replica, max: 8, statementTimeoutMs: 1_000 }), name: 'replica' },
      ],
    }),
  pause: () => admin.query('SELECT pg_wal_replay_pause()'),
  resume: () => admin.query('SELECT pg_wal_replay_resume()'),
  async caughtUp(db) {
    const [row] = await db.sql<{ lsn: string }>`SELECT pg_current_wal_insert_lsn()::text AS lsn`;
    for (;;) {
      const { rows } = await admin.query<{ ok: boolean }>(
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
        [row!.lsn],
      );
      if (rows[0]?.ok) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  },
  async serverOf(db) {
    return `in recovery: ${(await db.sql<{ r: boolean }>`SELECT pg_is_in_recovery() AS r`)[0]!.r}`;
  },
  lagBound: { maxReplicaLagMs: 500, needsUnreplayedWrite: true },
  tokenPattern: /^postgres\.[0-9A-F]+\/[0-9A-F]+$/,
  invalidTokens: ['garbage', 'mysql.0-1-2', 'postgres.not/lsn', `postgres.${'A'.repeat(300)}`],
  positionStatements: {
    primary: 'pg_current_wal_insert_lsn()',
    replica: 'pg_last_wal_replay_lsn()',
    inWriteReply: false,
  },
  verifiesPrimaryOnce: false,
  more(context) {
    it('a replica that stops answering fails no read: the primary serves, and the replica is back after it heals', async () => {
      const { proxy, db, notes, note } = await openReplicaBehindProxy(context, replicaUrl, 5432);
      try {
        proxy.freeze();
        proxy.freezeOpen();
        const started = performance.now();
        const during = await Promise.all(
          Array.from({ length: 20 }, () => db.withSession(undefined, () => notes.findById(note.id))),
        );
        expect(during.every((n) => n?.body === 'still readable')).toBe(true);
        // Only the reads that tried the replica waited, each at most the statement timeout (+ margin).
        expect(performance.now() - started).toBeLessThan(10_000);
        const down = db.replicaStats()!;
        expect(down.primaryReadsUnavailable).toBe(20);
        expect(down.replicas[0]?.failures).toBeGreaterThanOrEqual(1);
        proxy.thaw();
        await new Promise((r) => setTimeout(r, REPLICA_RETRY_AFTER_MS + 100));
        await db.withSession(undefined, () => notes.findById(note.id));
        expect(db.replicaStats()!.replicaReads).toBe(2);
      } finally {
        await proxy.stop();
      }
    }, 60_000);
  },
});
