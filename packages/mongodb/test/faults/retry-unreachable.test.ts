import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  type Database,
  defineEntity,
  field,
} from '@berth/core';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';
import { TEST_DATABASE } from '../support/test-server.js';

const Item = defineEntity('retry_unreachable_items', {
  id: field.id(),
  sku: field.string().unique(),
  n: field.integer(),
});
/** The driver's server selection gives up after this (`connectTimeoutMs` is `serverSelectionTimeoutMS`). */
const SELECTION_TIMEOUT_MS = 300;

const faults = useFaultServer();
const stored = () =>
  faults.server
    .documents(TEST_DATABASE, Item.name)
    .map((d) => `${d.sku}:${d.n}`)
    .sort();

/**
 * The first `name` command is applied, and then the server goes away before its reply is sent: the
 * listener is closed and every socket dropped (the monitors' too), so the driver's retry finds no server
 * to select. Resolves once the server has stopped.
 */
function applyThenVanish(name: string): { stopped: () => Promise<void> } {
  let stopping: Promise<void> | undefined;
  faults.server.setCommandHook((info) => {
    if (info.name !== name || stopping !== undefined) return undefined;
    stopping = faults.server.stop();
    // The command still runs (the storage is in memory), and its reply goes nowhere.
    return { dropReply: true };
  });
  return {
    stopped: async () => {
      expect(stopping, `no ${name} command reached the server`).toBeDefined();
      await stopping;
    },
  };
}

async function seeded(): Promise<{ db: Database; id: string }> {
  const { db } = await faults.open([Item], { max: 2, connectTimeoutMs: SELECTION_TIMEOUT_MS });
  const { id } = await db.repository(Item).insert({ sku: 'a', n: 1 });
  await db.repository(Item).insert({ sku: 'b', n: 1 });
  return { db, id };
}

/**
 * Each write outside a transaction, with the command that carries it and what the server holds once it
 * was applied. Retryable writes (one document, insertMany, a commit) are retried by the driver, whose
 * retry then fails to select a server; updateMany and deleteMany are not retried (no retry, no selection).
 */
const WRITES: [string, string, (db: Database, id: string) => Promise<unknown>, string[]][] = [
  ['insert', 'insert', (db) => db.repository(Item).insert({ sku: 'c', n: 1 }), ['a:1', 'b:1', 'c:1']],
  [
    'insertMany (its own transaction: the commit)',
    'commitTransaction',
    (db) =>
      db.repository(Item).insertMany([
        { sku: 'c', n: 1 },
        { sku: 'd', n: 1 },
      ]),
    ['a:1', 'b:1', 'c:1', 'd:1'],
  ],
  [
    'update by id (findAndModify)',
    'findAndModify',
    (db, id) => db.repository(Item).update(id, { n: { increment: 1 } }),
    ['a:2', 'b:1'],
  ],
  ['delete by id (deleteOne)', 'delete', (db, id) => db.repository(Item).delete(id), ['b:1']],
  [
    'upsert (findAndModify with upsert)',
    'findAndModify',
    (db) => db.repository(Item).upsert({ where: { sku: 'a' }, create: { sku: 'a', n: 5 }, update: { n: 5 } }),
    ['a:5', 'b:1'],
  ],
  [
    'upsertMany (bulkWrite in its own transaction: the commit)',
    'commitTransaction',
    (db) =>
      db.repository(Item).upsertMany(
        [
          { sku: 'a', n: 7 },
          { sku: 'c', n: 7 },
        ],
        { on: 'sku' },
      ),
    ['a:7', 'b:1', 'c:7'],
  ],
  [
    'updateMany (its own transaction: the commit)',
    'commitTransaction',
    (db) => db.repository(Item).updateMany({}, { n: 9 }),
    ['a:9', 'b:9'],
  ],
  [
    'deleteMany (its own transaction: the commit)',
    'commitTransaction',
    (db) => db.repository(Item).deleteMany({}),
    [],
  ],
];

/** Multi-document writes: their own transaction holds them until its commit (see `MongoConnection.#multi`). */
const MULTI_WRITES: [string, string, (db: Database) => Promise<unknown>][] = [
  ['updateMany', 'update', (db) => db.repository(Item).updateMany({}, { n: 9 })],
  ['deleteMany', 'delete', (db) => db.repository(Item).deleteMany({})],
];

describe('a write applied, its reply lost, then the server unreachable for the retry', () => {
  it.each(WRITES)(
    '%s: CommitOutcomeUnknownError (never the retryable ConnectionLostError), and it was applied',
    async (_label, command, write, after) => {
      const { db, id } = await seeded();
      const vanish = applyThenVanish(command);
      const error = await write(db, id).then(
        () => undefined,
        (e: unknown) => e,
      );
      await vanish.stopped();
      expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
      expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
      // It was applied: a client retrying on a "nothing was written" answer would have applied it twice.
      expect(stored()).toEqual(after);
      expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    },
  );

  it.each(MULTI_WRITES)(
    '%s run but not yet committed (its own transaction): ConnectionLostError, and nothing was written',
    async (_label, command, write) => {
      const { db } = await seeded();
      const vanish = applyThenVanish(command);
      const error = await write(db).then(
        () => undefined,
        (e: unknown) => e,
      );
      await vanish.stopped();
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect(stored()).toEqual(['a:1', 'b:1']);
      expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    },
  );

  it('a write retried on the same outage, never sent, stays ConnectionLostError and writes nothing', async () => {
    const { db, id } = await seeded();
    const items = db.repository(Item);
    await faults.server.stop();
    // A read fails first: the driver has seen the outage (its sockets are gone), so nothing below is sent.
    await expect(items.count()).rejects.toBeInstanceOf(ConnectionLostError);
    for (const [name, write] of [
      ['insert', () => items.insert({ sku: 'c', n: 1 })],
      [
        'insertMany',
        () =>
          items.insertMany([
            { sku: 'c', n: 1 },
            { sku: 'd', n: 1 },
          ]),
      ],
      ['update', () => items.update(id, { n: { increment: 1 } })],
      ['delete', () => items.delete(id)],
      ['upsert', () => items.upsert({ where: { sku: 'a' }, create: { sku: 'a', n: 5 }, update: { n: 5 } })],
      ['updateMany', () => items.updateMany({}, { n: { increment: 1 } })],
      ['deleteMany', () => items.deleteMany({})],
    ] as const) {
      const error = await write().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(ConnectionLostError);
      expect((error as ConnectionLostError).retryable, name).toBe(true);
    }
    expect(stored()).toEqual(['a:1', 'b:1']);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    // Back up, the same database serves writes again.
    await faults.server.restart();
    await items.insert({ sku: 'e', n: 1 });
    expect(stored()).toEqual(['a:1', 'b:1', 'e:1']);
  });
});

describe("berth's commit retries", () => {
  it('a commit applied with its reply lost, whose later attempts the server says wrote nothing (NoWritesPerformed), is CommitOutcomeUnknownError', async () => {
    const { db } = await seeded();
    // The driver's first commit attempt and its retry lose their replies (the first applied it): the
    // outcome is unknown, so berth commits again, and the server answers every later attempt with an error
    // it labels NoWritesPerformed (HostUnreachable: berth reads it as a lost connection; the driver keeps
    // the server selectable). Those speak for themselves only.
    let commits = 0;
    faults.server.setCommandHook((info) => {
      if (info.name !== 'commitTransaction') return undefined;
      commits++;
      if (commits <= 2) return { dropReply: true };
      return {
        error: {
          code: 6,
          errmsg: 'host unreachable',
          errorLabels: ['RetryableWriteError', 'NoWritesPerformed'],
        },
      };
    });
    const error = await db
      .repository(Item)
      .insertMany([
        { sku: 'c', n: 1 },
        { sku: 'd', n: 1 },
      ])
      .catch((e: unknown) => e);
    faults.server.setCommandHook(undefined);
    expect(commits).toBeGreaterThan(2);
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect(stored()).toEqual(['a:1', 'b:1', 'c:1', 'd:1']);
  });
});
