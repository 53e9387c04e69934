import { UnsupportedFeatureError, defineEntity, field } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import type { ClientSession, Collection, Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type MongoCollectionAccess, withMongoCollection } from '../src/index.js';
import { useDatabases } from './support/open-database.js';
import { TEST_DATABASE, startServer } from './support/test-server.js';

const Note = defineEntity('escape_notes', {
  id: field.id(),
  body: field.string(),
  stars: field.integer(),
});

let server: MongoTestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.reset();
});
const open = useDatabases(() => server);

describe('withMongoCollection', () => {
  it('is typed with the driver collection and session, and runs an aggregation berth does not offer', async () => {
    const { db } = await open([Note], { max: 2 });
    await db.repository(Note).insertMany([
      { body: 'a', stars: 2 },
      { body: 'b', stars: 3 },
    ]);
    const total = await withMongoCollection(db, Note, async ({ collection, session }) => {
      expectTypeOf(collection).toEqualTypeOf<Collection<Document>>();
      expectTypeOf(session).toEqualTypeOf<ClientSession>();
      const [row] = await collection
        .aggregate([{ $group: { _id: null, total: { $sum: '$stars' } } }], { session })
        .toArray();
      return row?.total as number;
    });
    expect(total).toBe(5);
    expectTypeOf(withMongoCollection<number>).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf<MongoCollectionAccess['session']>().toEqualTypeOf<ClientSession>();
  });

  it('inside a transaction the session carries it, so the write rolls back with the transaction', async () => {
    const { db } = await open([Note], { max: 2 });
    await db
      .transaction(async (tx) => {
        await withMongoCollection(tx, Note, ({ collection, session }) =>
          collection.insertOne({ _id: 'n1' as never, body: 'x', stars: 1 }, { session }),
        );
        expect(await tx.repository(Note).count()).toBe(1);
        throw new Error('undo');
      })
      .catch(() => undefined);
    expect(server.documents(TEST_DATABASE, Note.name)).toEqual([]);
  });

  it("serializable is refused before anything starts; 'repeatable read' runs", async () => {
    const { db } = await open([Note], { max: 2 });
    await expect(db.transaction(async () => 1, { isolation: 'serializable' })).rejects.toBeInstanceOf(
      UnsupportedFeatureError,
    );
    expect(await db.transaction(async () => 'ok', { isolation: 'repeatable read' })).toBe('ok');
  });
});
