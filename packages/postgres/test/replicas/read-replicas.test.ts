import {
  Database,
  defineEntity,
  field,
  REPLICA_LAG_CHECK_INTERVAL_MS,
  REPLICA_RETRY_AFTER_MS,
  ValidationError,
} from '@berth/core';
import { TcpProxy } from '@berth/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../../src/index.js';
import { scaleOutServerProblem } from '../support/scale-out-server.js';
import { TEST_DATABASE, TEST_URL } from '../support/server.js';

/**
 * Read replicas against a real PostgreSQL streaming replica of the test server (`scripts/scale-out/up.sh`
 * starts one on 127.0.0.1:5433; `PG_REPLICA_TEST_URL` names another). Replay is paused on purpose to make
 * the replica lag, so a read that goes to it by mistake is caught: no timing, only positions.
 */
const REPLICA_SERVER = process.env.PG_REPLICA_TEST_URL ?? 'postgres://postgres@127.0.0.1:5433';
const replicaUrl = (() => {
  const url = new URL(REPLICA_SERVER);
  url.pathname = `/${TEST_DATABASE}`;
  return url.href;
})();

const Note = defineEntity('replica_notes', {
  id: field.id(),
  owner: field.string({ max: 40 }),
  body: field.string({ max: 200 }),
});

const unreachable = await scaleOutServerProblem('the PostgreSQL replica', replicaUrl, async (client) => {
  const { rows } = await client.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
  return rows[0]?.r ? undefined : 'it is not in recovery (not a replica)';
});

describe.skipIf(unreachable !== undefined)('postgres read replicas: routing by WAL position', () => {
  const admin = new pg.Pool({ connectionString: replicaUrl, max: 1 });
  const opened: Database[] = [];
  const open = async (replica = replicaUrl, pool: object = {}, more: object = {}) => {
    const db = await Database.open(new PostgresDriver({ url: TEST_URL, max: 8 }), {
      ...more,
      entities: [Note],
      pool: { acquireTimeoutMs: 2_000, ...pool },
      // A statement timeout bounds a read on a replica that went silent mid-connection.
      replicas: [
        { driver: new PostgresDriver({ url: replica, max: 8, statementTimeoutMs: 1_000 }), name: 'replica' },
      ],
    });
    opened.push(db);
    return db;
  };
  const pause = () => admin.query('SELECT pg_wal_replay_pause()');
  const resume = () => admin.query('SELECT pg_wal_replay_resume()');
  /** Waits until the replica has replayed everything the primary has now. */
  const caughtUp = async (db: Database) => {
    const [row] = await db.sql<{ lsn: string }>`SELECT pg_current_wal_insert_lsn()::text AS lsn`;
    const lsn = row!.lsn;
    for (;;) {
      const { rows } = await admin.query<{ ok: boolean }>(
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
        [lsn],
      );
      if (rows[0]?.ok) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    const db = await open();
    await db.ensureSchema();
    await caughtUp(db);
  }, 60_000);

  afterAll(async () => {
    await resume().catch(() => undefined);
    await Promise.all(opened.map((db) => db.close()));
    await admin.end();
  });

  it('with replay paused, 1,000 write-then-read sequences from 16 sessions: 0 stale reads', async () => {
    const db = await open();
    await pause();
    try {
      let stale = 0;
      const session = async (s: number) => {
        for (let i = 0; i < 1_000 / 16 + 1; i += 1) {
          await db.withSession(undefined, async () => {
            const notes = db.repository(Note);
            const note = await notes.insert({ owner: `s${s}`, body: `v${i}` });
            if ((await notes.findById(note.id))?.body !== `v${i}`) stale += 1;
            await notes.update(note.id, { body: `w${i}` });
            const page = await notes.find({ where: { id: note.id } });
            if (page.items[0]?.body !== `w${i}`) stale += 1;
          });
        }
      };
      await Promise.all(Array.from({ length: 16 }, (_, s) => session(s)));
      expect(stale).toBe(0);
      const stats = db.replicaStats()!;
      // The replica was behind every write: the primary served them all, counted as lagging.
      expect(stats.primaryReadsLagging).toBeGreaterThanOrEqual(2_000);
      expect(stats.replicaReads).toBe(0);
    } finally {
      await resume();
    }
  }, 120_000);

  it('with replay running, reads not preceded by an unreplayed write are served by the replica (>= 90 %)', async () => {
    const db = await open();
    const notes = db.repository(Note);
    const seeded = await notes.insertMany(
      Array.from({ length: 20 }, (_, i) => ({ owner: 'steady', body: `n${i}` })),
    );
    await caughtUp(db);
    // Fresh sessions that carry no position: nothing they must see is missing from the replica.
    for (let round = 0; round < 10; round += 1) {
      await Promise.all(
        seeded.map((n) =>
          db.withSession(undefined, async () => expect(await notes.findById(n.id)).not.toBeNull()),
        ),
      );
    }
    const stats = db.replicaStats()!;
    const reads = stats.replicaReads + stats.primaryReadsLagging + stats.primaryReadsUnavailable;
    expect(reads).toBe(200);
    expect(stats.replicaReads / reads).toBeGreaterThanOrEqual(0.9);
    expect(stats.replicas[0]).toMatchObject({ reads: stats.replicaReads, failures: 0, available: true });
    expect(stats.sum.inUse).toBe(0);
  }, 60_000);

  it('a read-only transaction runs on a replica that has replayed the session position, else on the primary', async () => {
    const db = await open();
    const notes = db.repository(Note);
    const onReplica = async () => (await db.sql<{ r: boolean }>`SELECT pg_is_in_recovery() AS r`)[0]!.r;
    await pause();
    try {
      await db.withSession(undefined, async () => {
        const note = await notes.insert({ owner: 'read-only', body: 'mine' });
        const [body, ranOnReplica] = await db.transaction(
          async () => [(await notes.findById(note.id))?.body, await onReplica()] as const,
          { readOnly: true },
        );
        expect(body).toBe('mine');
        expect(ranOnReplica).toBe(false);
      });
      expect(db.replicaStats()).toMatchObject({ replicaReads: 0, primaryReadsLagging: 1 });
    } finally {
      await resume();
    }
    await caughtUp(db);
    const [count, ranOnReplica] = await db.withSession(undefined, () =>
      db.transaction(async () => [await notes.count({ owner: 'read-only' }), await onReplica()] as const, {
        readOnly: true,
      }),
    );
    expect(count).toBe(1);
    expect(ranOnReplica).toBe(true);
    expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsLagging: 1 });
    // SERIALIZABLE stays on the primary: a hot standby refuses it.
    expect(await db.transaction(onReplica, { readOnly: true, isolation: 'serializable' })).toBe(false);
  }, 60_000);

  it('with a lag bound, a replica whose replay is paused behind a write leaves the rotation, and returns', async () => {
    const db = await open(replicaUrl, {}, { maxReplicaLagMs: 500 });
    const notes = db.repository(Note);
    const note = await notes.insert({ owner: 'lag', body: 'bounded' });
    await caughtUp(db);
    const read = () => db.withSession(undefined, () => notes.findById(note.id));
    await read();
    expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsUnavailable: 0 });
    const interval = () => new Promise((r) => setTimeout(r, REPLICA_LAG_CHECK_INTERVAL_MS + 100));
    await pause();
    try {
      // WAL to replay, and the last replayed transaction older than the bound by the next measure.
      await notes.insert({ owner: 'lag', body: 'unreplayed' });
      await interval();
      expect((await read())?.body).toBe('bounded');
      expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsUnavailable: 1 });
      expect(db.replicaStats()!.replicas[0]).toMatchObject({ beyondLagBound: true, failures: 0 });
      await read();
      expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsUnavailable: 2 });
    } finally {
      await resume();
    }
    await caughtUp(db);
    await interval();
    await read();
    expect(db.replicaStats()).toMatchObject({ replicaReads: 2, primaryReadsUnavailable: 2 });
    expect(db.replicaStats()!.replicas[0]).toMatchObject({ beyondLagBound: false });
  }, 30_000);

  it('a session token carries the position to another process: its reads see the write, without it they may not', async () => {
    const writer = await open();
    const reader = await open();
    await pause();
    try {
      const token = await writer.withSession(undefined, async () => {
        await writer.repository(Note).insert({ owner: 'token', body: 'written through one instance' });
        return writer.sessionToken();
      });
      expect(token).toMatch(/^postgres\.[0-9A-F]+\/[0-9A-F]+$/);
      const withToken = await reader.withSession(token, () =>
        reader.repository(Note).count({ owner: 'token' }),
      );
      expect(withToken).toBe(1);
      // Without the token the reader's session asks nothing of the replica, which has not replayed it.
      const withoutToken = await reader.withSession(undefined, () =>
        reader.repository(Note).count({ owner: 'token' }),
      );
      expect(withoutToken).toBe(0);
    } finally {
      await resume();
    }
  }, 60_000);

  it('refuses a malformed token, or one made on another backend, with ValidationError', async () => {
    const db = await open();
    for (const token of ['garbage', 'mysql.0-1-2', 'postgres.not/lsn', `postgres.${'A'.repeat(300)}`]) {
      expect(() => db.withSession(token, async () => 1)).toThrow(ValidationError);
    }
  });

  it('a replica that stops answering fails no read: the primary serves, and the replica is back after it heals', async () => {
    const target = new URL(REPLICA_SERVER);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    try {
      const through = new URL(replicaUrl);
      through.hostname = '127.0.0.1';
      through.port = String(proxy.port);
      const db = await open(through.href, { acquireTimeoutMs: 500 });
      const notes = db.repository(Note);
      const note = await notes.insert({ owner: 'down', body: 'still readable' });
      await caughtUp(db);
      await db.withSession(undefined, () => notes.findById(note.id));
      expect(db.replicaStats()!.replicaReads).toBe(1);
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
});
