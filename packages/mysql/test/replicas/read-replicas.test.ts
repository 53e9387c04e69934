import { Database, type Entity, REPLICA_RETRY_AFTER_MS, UnsupportedFeatureError } from '@berth/core';
import { openReplicaBehindProxy, type ReplicaOpenOptions, runReadReplicaCases } from '@berth/testkit';
import type { Connection } from 'mysql2/promise';
import { expect, it } from 'vitest';
import { MysqlDriver } from '../../src/mysql-driver.js';
import { parseMysqlUrl } from '../../src/mysql-url.js';
import { adminOf } from '../support/admin-connection.js';
import {
  databaseUrl,
  PRIMARY_SERVER,
  REPLICA_DATABASE,
  REPLICA_SERVER,
  replicaPairProblem,
} from '../support/replica-pair.js';
import { TEST_URL } from '../support/test-env.js';

/**
 * Read replicas against a real MariaDB primary and GTID replica (`scripts/scale-out/up.sh` starts them on
 * 127.0.0.1:3310 and :3311): the shared cases of `runReadReplicaCases`, the replica's SQL thread stopped on
 * purpose, and MariaDB's own.
 */
const primaryUrl = databaseUrl(PRIMARY_SERVER);
const replicaUrl = databaseUrl(REPLICA_SERVER);

const unusable = await replicaPairProblem();

let primaryAdmin: Connection;
let replicaAdmin: Connection;
const openOn = (primary: string, entities: readonly Entity[], options: ReplicaOpenOptions) =>
  Database.open(new MysqlDriver({ ...parseMysqlUrl(primary), max: 8 }), {
    ...options.more,
    entities,
    pool: options.pool,
    // A statement timeout bounds a read on a replica that went silent mid-connection.
    replicas: [
      {
        driver: new MysqlDriver({ ...parseMysqlUrl(options.replicaUrl), max: 8, statementTimeoutMs: 1_000 }),
        name: 'replica',
      },
    ],
  });
const resume = () => replicaAdmin.query('START SLAVE SQL_THREAD');

runReadReplicaCases({
  title: 'mariadb read replicas: routing by GTID position',
  label: 'mariadb',
  unusable,
  replicaUrl,
  async setup() {
    primaryAdmin = await adminOf(PRIMARY_SERVER);
    replicaAdmin = await adminOf(REPLICA_SERVER);
    await resume();
    await primaryAdmin.query(`DROP DATABASE IF EXISTS \`${REPLICA_DATABASE}\``);
    await primaryAdmin.query(`CREATE DATABASE \`${REPLICA_DATABASE}\` CHARACTER SET utf8mb4`);
  },
  async teardown() {
    await primaryAdmin?.query(`DROP DATABASE IF EXISTS \`${REPLICA_DATABASE}\``).catch(() => undefined);
    await Promise.all([primaryAdmin?.end(), replicaAdmin?.end()]);
  },
  open: (entities, options) => openOn(primaryUrl, entities, options),
  pause: () => replicaAdmin.query('STOP SLAVE SQL_THREAD'),
  resume,
  /** Waits until the replica has applied everything the primary has logged now. */
  async caughtUp() {
    const [rows] = await primaryAdmin.query('SELECT @@gtid_binlog_pos AS pos');
    const pos = (rows as { pos: string }[])[0]!.pos;
    const [waited] = await replicaAdmin.query('SELECT MASTER_GTID_WAIT(?, 30) AS r', [pos]);
    expect((waited as { r: number }[])[0]!.r).toBe(0);
  },
  async serverOf(db) {
    return `server id ${Number((await db.sql<{ id: number }>`SELECT @@server_id AS id`)[0]!.id)}`;
  },
  lagBound: { maxReplicaLagMs: 2_000, needsUnreplayedWrite: false },
  tokenPattern: /^mysql\.\d+-\d+-\d+$/,
  invalidTokens: [
    'garbage',
    'postgres.0/16B3748',
    'mysql.0-1',
    'mysql.0-1-2,0-1-3',
    `mysql.${'1'.repeat(300)}`,
  ],
  positionStatements: { primary: '@@gtid_binlog_pos', replica: '@@gtid_slave_pos', inWriteReply: true },
  verifiesPrimaryOnce: true,
  more({ open, pause, caughtUp, Note }) {
    /** Every statement the handle sends that asks a server for a GTID position. */
    const positionQueries = (db: Database) => {
      const seen = { primary: 0, replica: 0 };
      db.on('query', (event) => {
        if (event.statement.includes('@@gtid_binlog_pos')) seen.primary += 1;
        if (event.statement.includes('@@gtid_slave_pos')) seen.replica += 1;
      });
      return seen;
    };

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

    it('a replica that stops answering under load fails no read: the primary serves, and it is back after it returns', async () => {
      const { proxy, db, notes, note } = await openReplicaBehindProxy(
        { open, caughtUp, Note },
        replicaUrl,
        3306,
      );
      try {
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
      const db = await openOn(TEST_URL, [Note], { replicaUrl, pool: { acquireTimeoutMs: 2_000 }, more: {} });
      try {
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
      } finally {
        await db.close();
      }
    });
  },
});
