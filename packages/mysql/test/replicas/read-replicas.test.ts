import {
  Database,
  defineEntity,
  field,
  REPLICA_LAG_CHECK_INTERVAL_MS,
  REPLICA_RETRY_AFTER_MS,
  UnsupportedFeatureError,
  ValidationError,
} from '@berth/core';
import { TcpProxy } from '@berth/testkit';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlDriver } from '../../src/mysql-driver.js';
import { parseMysqlUrl } from '../../src/mysql-url.js';
import {
  databaseUrl,
  PRIMARY_SERVER,
  REPLICA_DATABASE,
  REPLICA_SERVER,
  replicaPairProblem,
} from '../support/replica-pair.js';
import { adminOf } from '../support/admin-connection.js';
import { TEST_URL } from '../support/test-env.js';

/**
 * Read replicas against a real MariaDB primary and GTID replica (`scripts/scale-out/up.sh` starts them on
 * 127.0.0.1:3310 and :3311). The replica's SQL thread is stopped on purpose to make it lag, so a read that
 * goes to it by mistake is caught: no timing, only positions.
 */
const primaryUrl = databaseUrl(PRIMARY_SERVER);
const replicaUrl = databaseUrl(REPLICA_SERVER);

const Note = defineEntity('replica_notes', {
  id: field.id(),
  owner: field.string({ max: 40 }),
  body: field.string({ max: 200 }),
});

const unusable = await replicaPairProblem();

describe.skipIf(unusable !== undefined)('mariadb read replicas: routing by GTID position', () => {
  let primaryAdmin: Connection;
  let replicaAdmin: Connection;
  const opened: Database[] = [];
  const open = async (replica = replicaUrl, pool: object = {}, primary = primaryUrl, more: object = {}) => {
    const db = await Database.open(new MysqlDriver({ ...parseMysqlUrl(primary), max: 8 }), {
      ...more,
      entities: [Note],
      pool: { acquireTimeoutMs: 2_000, ...pool },
      // A statement timeout bounds a read on a replica that went silent mid-connection.
      replicas: [
        {
          driver: new MysqlDriver({ ...parseMysqlUrl(replica), max: 8, statementTimeoutMs: 1_000 }),
          name: 'replica',
        },
      ],
    });
    opened.push(db);
    return db;
  };
  /** Every statement the handle sends that asks a server for a GTID position. */
  const positionQueries = (db: Database) => {
    const seen = { primary: 0, replica: 0 };
    db.on('query', (event) => {
      if (event.statement.includes('@@gtid_binlog_pos')) seen.primary += 1;
      if (event.statement.includes('@@gtid_slave_pos')) seen.replica += 1;
    });
    return seen;
  };
  const pause = () => replicaAdmin.query('STOP SLAVE SQL_THREAD');
  const resume = () => replicaAdmin.query('START SLAVE SQL_THREAD');
  /** Waits until the replica has applied everything the primary has logged now. */
  const caughtUp = async () => {
    const [rows] = await primaryAdmin.query('SELECT @@gtid_binlog_pos AS pos');
    const pos = (rows as { pos: string }[])[0]!.pos;
    const [waited] = await replicaAdmin.query('SELECT MASTER_GTID_WAIT(?, 30) AS r', [pos]);
    expect((waited as { r: number }[])[0]!.r).toBe(0);
  };

  beforeAll(async () => {
    primaryAdmin = await adminOf(PRIMARY_SERVER);
    replicaAdmin = await adminOf(REPLICA_SERVER);
    await resume();
    await primaryAdmin.query(`DROP DATABASE IF EXISTS \`${REPLICA_DATABASE}\``);
    await primaryAdmin.query(`CREATE DATABASE \`${REPLICA_DATABASE}\` CHARACTER SET utf8mb4`);
    const db = await open();
    await db.ensureSchema();
    await caughtUp();
  }, 60_000);

  afterAll(async () => {
    await resume().catch(() => undefined);
    await Promise.all(opened.map((db) => db.close()));
    await primaryAdmin?.query(`DROP DATABASE IF EXISTS \`${REPLICA_DATABASE}\``).catch(() => undefined);
    await Promise.all([primaryAdmin?.end(), replicaAdmin?.end()]);
  });

  it('with the SQL thread stopped, 1,000 write-then-read sequences from 16 sessions: 0 stale reads, no position round trip', async () => {
    const db = await open();
    const asked = positionQueries(db);
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
      // The replica was behind every write: the primary served every read, counted as lagging.
      expect(stats.primaryReadsLagging).toBeGreaterThanOrEqual(2_000);
      expect(stats.replicaReads).toBe(0);
      expect(stats.replicas[0]).toMatchObject({ failures: 0, available: true });
      // Each write's position came with its own reply (the tracked last_gtid): the primary was never asked.
      expect(asked.primary).toBe(0);
      // The replica was asked how far it is, and the answer kept until a later write needed more.
      expect(asked.replica).toBeGreaterThan(0);
    } finally {
      await resume();
    }
  }, 120_000);

  it('with replication running, reads not preceded by an unapplied write are served by the replica (>= 90 %)', async () => {
    const db = await open();
    const notes = db.repository(Note);
    const seeded = await notes.insertMany(
      Array.from({ length: 20 }, (_, i) => ({ owner: 'steady', body: `n${i}` })),
    );
    await caughtUp();
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
    console.info(`mariadb replicas: ${stats.replicaReads} of ${reads} reads served by the replica`);
    expect(stats.replicaReads / reads).toBeGreaterThanOrEqual(0.9);
    expect(stats.replicas[0]).toMatchObject({ reads: stats.replicaReads, failures: 0, available: true });
    expect(stats.sum.inUse).toBe(0);
  }, 60_000);

  it('a transaction takes its position from the COMMIT reply, and a change of nothing asks the primary', async () => {
    const db = await open();
    const asked = positionQueries(db);
    const notes = db.repository(Note);
    await pause();
    try {
      const id = await db.withSession(undefined, async () => {
        const note = await db.transaction(async () => {
          const n = await notes.insert({ owner: 'tx', body: 'one' });
          await notes.update(n.id, { body: 'two' });
          return n;
        });
        expect((await notes.findById(note.id))?.body).toBe('two');
        return note.id;
      });
      expect(asked.primary).toBe(0);
      // An UPDATE that changes nothing logs nothing: no GTID in its reply, so the primary is asked.
      await db.withSession(undefined, async () => {
        await notes.update(id, { body: 'two' });
        expect((await notes.findById(id))?.body).toBe('two');
      });
      expect(asked.primary).toBe(1);
      expect(db.replicaStats()!.replicaReads).toBe(0);
    } finally {
      await resume();
    }
  });

  it('a read-only transaction runs on a replica that has applied the session position, else on the primary', async () => {
    const db = await open();
    const notes = db.repository(Note);
    const serverId = async () => Number((await db.sql<{ id: number }>`SELECT @@server_id AS id`)[0]!.id);
    const primaryId = await serverId();
    await pause();
    try {
      await db.withSession(undefined, async () => {
        const note = await notes.insert({ owner: 'read-only', body: 'mine' });
        const [body, ranOn] = await db.transaction(
          async () => [(await notes.findById(note.id))?.body, await serverId()] as const,
          { readOnly: true },
        );
        expect(body).toBe('mine');
        expect(ranOn).toBe(primaryId);
      });
      expect(db.replicaStats()).toMatchObject({ replicaReads: 0, primaryReadsLagging: 1 });
    } finally {
      await resume();
    }
    await caughtUp();
    const [count, ranOn] = await db.withSession(undefined, () =>
      db.transaction(async () => [await notes.count({ owner: 'read-only' }), await serverId()] as const, {
        readOnly: true,
      }),
    );
    expect(count).toBe(1);
    expect(ranOn).not.toBe(primaryId);
    expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsLagging: 1 });
    // SERIALIZABLE stays on the primary.
    const serializableOn = await db.transaction(() => serverId(), {
      readOnly: true,
      isolation: 'serializable',
    });
    expect(serializableOn).toBe(primaryId);
  });

  it('with a lag bound, a replica that stopped applying leaves the rotation even for readers that need no position, and returns', async () => {
    const db = await open(replicaUrl, {}, primaryUrl, { maxReplicaLagMs: 2_000 });
    const notes = db.repository(Note);
    const note = await notes.insert({ owner: 'lag', body: 'bounded' });
    await caughtUp();
    const read = () => db.withSession(undefined, () => notes.findById(note.id));
    await read();
    expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsUnavailable: 0 });
    const interval = () => new Promise((r) => setTimeout(r, REPLICA_LAG_CHECK_INTERVAL_MS + 100));
    await pause();
    try {
      await interval();
      // The next read measures it (Seconds_Behind_Master is NULL with the SQL thread stopped): out.
      expect((await read())?.body).toBe('bounded');
      expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsUnavailable: 1 });
      expect(db.replicaStats()!.replicas[0]).toMatchObject({ beyondLagBound: true, failures: 0 });
      // Until the next measure is due, no read is given to it at all.
      await read();
      expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsUnavailable: 2 });
    } finally {
      await resume();
    }
    await caughtUp();
    await interval();
    await read();
    expect(db.replicaStats()).toMatchObject({ replicaReads: 2, primaryReadsUnavailable: 2 });
    expect(db.replicaStats()!.replicas[0]).toMatchObject({ beyondLagBound: false });
  });

  it('a session token carries the position to another process: its reads see the write, without it they do not', async () => {
    const writer = await open();
    const reader = await open();
    await pause();
    try {
      const token = await writer.withSession(undefined, async () => {
        await writer.repository(Note).insert({ owner: 'token', body: 'written through one instance' });
        return writer.sessionToken();
      });
      expect(token).toMatch(/^mysql\.\d+-\d+-\d+$/);
      const withToken = await reader.withSession(token, () =>
        reader.repository(Note).count({ owner: 'token' }),
      );
      expect(withToken).toBe(1);
      // Without the token the reader's session asks nothing of the replica, which has not applied it.
      const withoutToken = await reader.withSession(undefined, () =>
        reader.repository(Note).count({ owner: 'token' }),
      );
      expect(withoutToken).toBe(0);
      expect(reader.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsLagging: 1 });
    } finally {
      await resume();
    }
  }, 60_000);

  it('refuses a malformed token, or one made on another backend, with ValidationError', async () => {
    const db = await open();
    for (const token of [
      'garbage',
      'postgres.0/16B3748',
      'mysql.0-1',
      'mysql.0-1-2,0-1-3',
      `mysql.${'1'.repeat(300)}`,
    ]) {
      expect(() => db.withSession(token, async () => 1)).toThrow(ValidationError);
    }
  });

  it('a replica that stops answering under load fails no read: the primary serves, and it is back after it returns', async () => {
    const target = new URL(REPLICA_SERVER);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 3306) });
    try {
      const through = new URL(replicaUrl);
      through.hostname = '127.0.0.1';
      through.port = String(proxy.port);
      const db = await open(through.href, { acquireTimeoutMs: 500 });
      const notes = db.repository(Note);
      const note = await notes.insert({ owner: 'down', body: 'still readable' });
      await caughtUp();
      await db.withSession(undefined, () => notes.findById(note.id));
      expect(db.replicaStats()!.replicaReads).toBe(1);
      // Readers keep reading while the replica goes silent, then refuses connections, then returns.
      let failed = 0;
      let reads = 0;
      let stop = false;
      const reader = async (r: number) => {
        while (!stop) {
          try {
            // Half the readers read in read-only transactions, which fall back to the primary the same way.
            const read = () => notes.findById(note.id);
            const found = await db.withSession(undefined, () =>
              r % 2 === 0 ? read() : db.transaction(read, { readOnly: true }),
            );
            if (found?.body !== 'still readable') failed += 1;
          } catch {
            failed += 1;
          }
          reads += 1;
        }
      };
      const readers = Array.from({ length: 8 }, (_, r) => reader(r));
      await new Promise((r) => setTimeout(r, 200));
      proxy.freeze();
      proxy.freezeOpen();
      await new Promise((r) => setTimeout(r, 1_500));
      const down = db.replicaStats()!;
      expect(down.replicas[0]?.failures).toBeGreaterThanOrEqual(1);
      expect(down.replicas[0]?.available).toBe(false);
      expect(down.primaryReadsUnavailable).toBeGreaterThan(0);
      // Then every connection to it is cut, as when the server stops.
      proxy.cut();
      await new Promise((r) => setTimeout(r, 500));
      proxy.thaw();
      const servedBefore = db.replicaStats()!.replicaReads;
      const returned = performance.now();
      while (db.replicaStats()!.replicaReads === servedBefore) {
        expect(performance.now() - returned).toBeLessThan(REPLICA_RETRY_AFTER_MS + 5_000);
        await new Promise((r) => setTimeout(r, 50));
      }
      stop = true;
      await Promise.all(readers);
      expect(failed).toBe(0);
      expect(reads).toBeGreaterThan(50);
      console.info(
        `mariadb replicas: replica stopped under load: ${reads} reads, 0 failed, back in rotation ${Math.round(performance.now() - returned)} ms after it returned`,
      );
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  it('refuses replicas of a primary without a binary log, with UnsupportedFeatureError, before anything is sent', async () => {
    // The machine's MariaDB (log_bin OFF) as the primary: it has no GTIDs to route by.
    const db = await open(replicaUrl, {}, TEST_URL);
    const error = await db
      .repository(Note)
      .count({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error).toMatchObject({ feature: 'read-replicas' });
    expect((error as Error).message).toMatch(/log_bin/);
    // Every operation is refused the same way, writes included.
    await expect(db.repository(Note).insert({ owner: 'x', body: 'y' })).rejects.toBeInstanceOf(
      UnsupportedFeatureError,
    );
  });
});
