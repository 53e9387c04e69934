import { Database, type Entity } from '@berth/core';
import pg from 'pg';
import { otelReplicaCases } from '../../../core/test/otel/otel-replica-cases.js';
import { PostgresDriver } from '../../src/index.js';
import { scaleOutServerProblem } from '../support/scale-out-server.js';
import { TEST_DATABASE, TEST_URL } from '../support/server.js';

/** `@berth/core/otel` with the streaming replica `scripts/scale-out/up.sh` starts on 127.0.0.1:5433. */
const REPLICA_SERVER = process.env.PG_REPLICA_TEST_URL ?? 'postgres://postgres@127.0.0.1:5433';
const replicaUrl = (() => {
  const url = new URL(REPLICA_SERVER);
  url.pathname = `/${TEST_DATABASE}`;
  return url.href;
})();
const primaryUrl = (() => {
  const url = new URL(TEST_URL);
  url.port ||= '5432';
  return url.href;
})();

const unusable = await scaleOutServerProblem('the PostgreSQL replica', replicaUrl, async (client) => {
  const { rows } = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
  return rows[0]?.r ? undefined : 'it is not in recovery (not a replica)';
});

otelReplicaCases({
  name: 'postgres',
  system: 'postgresql',
  primaryUrl,
  replicaUrl,
  unusable,
  async open(entities: readonly Entity[], name: string) {
    const db = await Database.open(new PostgresDriver({ url: primaryUrl, max: 2 }), {
      entities,
      replicas: [{ driver: new PostgresDriver({ url: replicaUrl, max: 2 }), name }],
    });
    await db.ensureSchema();
    return db;
  },
  async caughtUp(db) {
    const [row] = await db.sql<{ lsn: string }>`SELECT pg_current_wal_insert_lsn()::text AS lsn`;
    const admin = new pg.Client({ connectionString: replicaUrl });
    await admin.connect();
    try {
      for (;;) {
        const { rows } = await admin.query<{ ok: boolean }>(
          'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
          [row!.lsn],
        );
        if (rows[0]?.ok) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await admin.end();
    }
  },
});
