import {
  type Database,
  REPLICA_LAG_CHECK_INTERVAL_MS,
  ValidationError,
  defineEntity,
  field,
  migrateUp,
  planMigration,
  sql,
} from '@berth/core';
import { sourceFromText } from '../support/migration-files.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadReplicaContext, ReadReplicaTarget, ReplicaOpenOptions } from './read-replica-target.js';
import { Note } from './replica-note.js';

/** Counts the statements a database sends that ask a server for its replication position. */
function positionQueries(db: Database, target: ReadReplicaTarget): { primary: number; replica: number } {
  const seen = { primary: 0, replica: 0 };
  db.on('query', (event) => {
    if (event.statement.includes(target.positionStatements.primary)) seen.primary += 1;
    if (event.statement.includes(target.positionStatements.replica)) seen.replica += 1;
  });
  return seen;
}

/**
 * Registers the read-replica cases every SQL adapter with replicas runs against a real primary and replica
 * (PostgreSQL streaming replication, MariaDB GTID replication): read-your-writes by position under
 * concurrency with the replica stopped, the share of reads a caught-up replica serves, read-only
 * transactions, the lag bound, session tokens across processes. Call at the top level of a test file; the
 * backend's own cases come in through `target.more`.
 */
export function runReadReplicaCases(target: ReadReplicaTarget): void {
  describe.skipIf(target.unusable !== undefined)(target.title, () => {
    const opened: Database[] = [];
    const context: ReadReplicaContext = {
      async open(options: Partial<ReplicaOpenOptions> = {}) {
        const db = await target.open([Note], {
          replicaUrl: options.replicaUrl ?? target.replicaUrl,
          pool: { acquireTimeoutMs: 2_000, ...options.pool },
          more: options.more ?? {},
        });
        opened.push(db);
        return db;
      },
      pause: () => target.pause(),
      resume: () => target.resume(),
      caughtUp: (db) => target.caughtUp(db),
      Note,
    };
    const { open, pause, resume, caughtUp } = context;

    beforeAll(async () => {
      await target.setup?.();
      await resume();
      const db = await open();
      await db.ensureSchema();
      await caughtUp(db);
    }, 60_000);

    afterAll(async () => {
      await resume().catch(() => undefined);
      await Promise.all(opened.map((db) => db.close()));
      await target.teardown?.();
    });

    it('with replay stopped, 1,000 write-then-read sequences from 16 sessions: 0 stale reads, the position read on the write connection', async () => {
      const db = await open();
      const asked = positionQueries(db, target);
      let acquired = 0;
      db.pool.on('acquire', () => {
        acquired += 1;
      });
      await pause();
      try {
        let stale = 0;
        let sequences = 0;
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
            sequences += 1;
          }
        };
        await Promise.all(Array.from({ length: 16 }, (_, s) => session(s)));
        expect(stale).toBe(0);
        const stats = db.replicaStats()!;
        // The replica was behind every write: the primary served every read, counted as lagging.
        expect(stats.primaryReadsLagging).toBeGreaterThanOrEqual(2_000);
        expect(stats.replicaReads).toBe(0);
        expect(stats.replicas[0]).toMatchObject({ failures: 0, available: true });
        // Each write's position was read on the write's own connection (or came with its reply): two
        // writes and two reads per sequence, each one checkout of the primary's pool, and nothing more.
        expect(acquired).toBe(4 * sequences + (target.verifiesPrimaryOnce ? 1 : 0));
        // MariaDB: the tracked last_gtid of each reply, the primary never asked; PostgreSQL: once per write.
        expect(asked.primary).toBe(target.positionStatements.inWriteReply ? 0 : 2 * sequences);
        // The replica was asked how far it is, and the answer kept until a later write needed more.
        expect(asked.replica).toBeGreaterThan(0);
      } finally {
        await resume();
      }
    }, 120_000);

    it('with replay stopped, the read after a migration sees its schema: the migration moves the session to the primary position', async () => {
      const db = await open();
      const table = `replica_migrated_${Date.now().toString(36)}`;
      const history = 'berth_replica_migrations';
      const V1 = defineEntity(table, { id: field.id(), name: field.string({ max: 20 }) });
      const V2 = defineEntity(table, {
        id: field.id(),
        name: field.string({ max: 20 }),
        team: field.string({ max: 10 }).default('core'),
      });
      const applied: Awaited<ReturnType<typeof sourceFromText>>[] = [];
      const migrate = async (id: string, entity: typeof V1 | typeof V2) => {
        const plan = await planMigration(db, [entity], id, { dropTables: false });
        const source = await sourceFromText(id, plan.text, plan.extension);
        await migrateUp(db, [...applied, source], { historyTable: history });
        applied.push(source);
      };
      try {
        await migrate('20260101T000000_create', V1);
        const row = await db.repository(V1).insert({ name: 'Ada' });
        await caughtUp(db);
        // The replica has the table and the row, and the session's position is the insert's: a read
        // routed by that position alone would go to the replica, which lacks the column added next.
        await pause();
        await migrate('20260101T000001_team', V2);
        expect(await db.repository(V2).findById(row.id)).toMatchObject({ name: 'Ada', team: 'core' });
        expect(db.replicaStats()!.primaryReadsLagging).toBeGreaterThan(0);
      } finally {
        await resume();
        await caughtUp(db);
        await db.execute`DROP TABLE ${sql.id(table)}`.catch(() => undefined);
        await db.execute`DROP TABLE ${sql.id(history)}`.catch(() => undefined);
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
      console.info(`${target.label} replicas: ${stats.replicaReads} of ${reads} reads served by the replica`);
      expect(stats.replicaReads / reads).toBeGreaterThanOrEqual(0.9);
      expect(stats.replicas[0]).toMatchObject({ reads: stats.replicaReads, failures: 0, available: true });
      expect(stats.sum.inUse).toBe(0);
    }, 60_000);

    it('a read the replica is known to cover asks nothing and is served there; after a later write it goes to the primary while the replica is behind', async () => {
      const db = await open();
      const notes = db.repository(Note);
      const asked = positionQueries(db, target);
      await db.withSession(undefined, async () => {
        const note = await notes.insert({ owner: 'covered', body: 'v1' });
        // Until the replica has replayed the insert, the read asks it and the primary serves.
        const deadline = Date.now() + 30_000;
        while (db.replicaStats()!.replicaReads === 0) {
          if (Date.now() > deadline) throw new Error('the replica did not replay the insert within 30 s');
          expect((await notes.findById(note.id))?.body).toBe('v1');
        }
        await pause();
        try {
          // Covered by what the replica was seen to replay: served by it, without asking it again.
          const before = { replica: asked.replica, reads: db.replicaStats()!.replicaReads };
          expect((await notes.findById(note.id))?.body).toBe('v1');
          expect(db.replicaStats()!.replicaReads).toBe(before.reads + 1);
          expect(asked.replica).toBe(before.replica);
          // A write the stopped replica cannot have replayed: the read asks it, and the primary serves.
          await notes.update(note.id, { body: 'v2' });
          const lagging = db.replicaStats()!.primaryReadsLagging;
          expect((await notes.findById(note.id))?.body).toBe('v2');
          expect((await notes.find({ where: { id: note.id } })).items[0]?.body).toBe('v2');
          const stats = db.replicaStats()!;
          expect(stats.primaryReadsLagging).toBe(lagging + 2);
          expect(stats.replicaReads).toBe(before.reads + 1);
          expect(asked.replica).toBeGreaterThan(before.replica);
        } finally {
          await resume();
        }
      });
      expect(db.replicaStats()!.sum.inUse).toBe(0);
    }, 60_000);

    it('a read-only transaction runs on a replica that has replayed the session position, else on the primary', async () => {
      const db = await open();
      const notes = db.repository(Note);
      const serverOf = () => target.serverOf(db);
      const primary = await serverOf();
      await pause();
      try {
        await db.withSession(undefined, async () => {
          const note = await notes.insert({ owner: 'read-only', body: 'mine' });
          const [body, ranOn] = await db.transaction(
            async () => [(await notes.findById(note.id))?.body, await serverOf()] as const,
            { readOnly: true },
          );
          expect(body).toBe('mine');
          expect(ranOn).toBe(primary);
        });
        expect(db.replicaStats()).toMatchObject({ replicaReads: 0, primaryReadsLagging: 1 });
      } finally {
        await resume();
      }
      await caughtUp(db);
      const [count, ranOn] = await db.withSession(undefined, () =>
        db.transaction(async () => [await notes.count({ owner: 'read-only' }), await serverOf()] as const, {
          readOnly: true,
        }),
      );
      expect(count).toBe(1);
      expect(ranOn).not.toBe(primary);
      expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsLagging: 1 });
      // SERIALIZABLE stays on the primary: a hot standby refuses it, and on MariaDB its shared locks would
      // hold up the replica's applier.
      expect(await db.transaction(serverOf, { readOnly: true, isolation: 'serializable' })).toBe(primary);
    }, 60_000);

    it('with a lag bound, a replica whose replay is stopped leaves the rotation, and returns', async () => {
      const { maxReplicaLagMs, needsUnreplayedWrite } = target.lagBound;
      const db = await open({ more: { maxReplicaLagMs } });
      const notes = db.repository(Note);
      const note = await notes.insert({ owner: 'lag', body: 'bounded' });
      await caughtUp(db);
      const read = () => db.withSession(undefined, () => notes.findById(note.id));
      await read();
      expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsUnavailable: 0 });
      const interval = () => new Promise((r) => setTimeout(r, REPLICA_LAG_CHECK_INTERVAL_MS + 100));
      await pause();
      try {
        // PostgreSQL: WAL to replay, and the last replayed transaction older than the bound by the next
        // measure. MariaDB: nothing to write, a stopped SQL thread is out at once (NULL lag), even for
        // readers that need no position.
        if (needsUnreplayedWrite) await notes.insert({ owner: 'lag', body: 'unreplayed' });
        await interval();
        // The next read measures it: out.
        expect((await read())?.body).toBe('bounded');
        expect(db.replicaStats()).toMatchObject({ replicaReads: 1, primaryReadsUnavailable: 1 });
        expect(db.replicaStats()!.replicas[0]).toMatchObject({ beyondLagBound: true, failures: 0 });
        // Until the next measure is due, no read is given to it at all.
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

    it('a session token carries the position to another process: its reads see the write, without it they do not', async () => {
      const writer = await open();
      const reader = await open();
      await pause();
      try {
        const token = await writer.withSession(undefined, async () => {
          await writer.repository(Note).insert({ owner: 'token', body: 'written through one instance' });
          return writer.sessionToken();
        });
        expect(token).toMatch(target.tokenPattern);
        const withToken = await reader.withSession(token, () =>
          reader.repository(Note).count({ owner: 'token' }),
        );
        expect(withToken).toBe(1);
        // Without the token the reader's session asks nothing of the replica, which has not replayed it.
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
      for (const token of target.invalidTokens) {
        expect(() => db.withSession(token, async () => 1)).toThrow(ValidationError);
      }
    });

    target.more?.(context);
  });
}
