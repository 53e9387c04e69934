import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import type { Db } from 'mongodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Loose, uniqueDbName, useServer } from './helpers.js';

const ctx = useServer();
let db: Db;
let dbName: string;

beforeEach(async () => {
  dbName = uniqueDbName('idx');
  db = (await ctx.client()).db(dbName);
});

async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

describe('indexes', () => {
  it('creates, lists and drops indexes; createIndexes creates the collection', async () => {
    const users = db.collection<Loose>('users');
    expect(await users.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    expect(await users.createIndex({ email: 1 }, { unique: true })).toBe('email_1'); // no-op
    expect(await users.createIndex({ org: 1, name: -1 }, { name: 'org_name' })).toBe('org_name');
    const collections = await db.listCollections({}, { nameOnly: true }).toArray();
    expect(collections.map((c) => c.name)).toEqual(['users']);
    const indexes = await users.listIndexes().toArray();
    expect(indexes).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { email: 1 }, name: 'email_1', unique: true },
      { v: 2, key: { org: 1, name: -1 }, name: 'org_name' },
    ]);
    await users.dropIndex('org_name');
    expect((await users.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'email_1']);
    await users.dropIndexes();
    expect((await users.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    const missing = await failure(db.collection<Loose>('nope').listIndexes().toArray());
    expect(missing.code).toBe(26);
  });

  it('enforces unique indexes on insert with an E11000 error like mongod', async () => {
    const users = db.collection<Loose>('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'x' });
    const error = await failure(users.insertOne({ email: 'x' }));
    expect(error.code).toBe(11000);
    expect(error.message).toBe(
      `E11000 duplicate key error collection: ${dbName}.users index: email_1 dup key: { email: "x" }`,
    );
    expect(error.keyPattern).toEqual({ email: 1 });
    expect(error.keyValue).toEqual({ email: 'x' });
    const dupId = await failure(users.insertOne({ _id: (await users.findOne())?._id, email: 'y' }));
    expect(dupId.code).toBe(11000);
    expect(dupId.message).toContain('index: _id_ dup key: { _id: ObjectId(');
    // Missing fields index as null, so a second document without an email collides too.
    await users.insertOne({ name: 'no email' });
    expect((await failure(users.insertOne({ name: 'also none' }))).keyValue).toEqual({ email: null });
  });

  it('enforces compound unique indexes', async () => {
    const c = db.collection<Loose>('members');
    await c.createIndex({ org: 1, email: 1 }, { unique: true });
    await c.insertMany([
      { org: 1, email: 'a' },
      { org: 2, email: 'a' },
    ]);
    const error = await failure(c.insertOne({ org: 1, email: 'a' }));
    expect(error.message).toContain('index: org_1_email_1 dup key: { org: 1, email: "a" }');
    expect(error.keyPattern).toEqual({ org: 1, email: 1 });
  });

  it('enforces unique indexes on update and upsert, leaving the document unchanged', async () => {
    const c = db.collection<Loose>('users');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertMany([
      { _id: 1, email: 'a' },
      { _id: 2, email: 'b' },
    ]);
    expect((await failure(c.updateOne({ _id: 2 }, { $set: { email: 'a' } }))).code).toBe(11000);
    expect(await c.findOne({ _id: 2 })).toEqual({ _id: 2, email: 'b' });
    expect((await failure(c.updateOne({ _id: 3 }, { $set: { email: 'b' } }, { upsert: true }))).code).toBe(
      11000,
    );
    expect(await c.countDocuments()).toBe(2);
    expect((await failure(c.findOneAndUpdate({ _id: 1 }, { $set: { email: 'b' } }))).code).toBe(11000);
    // Swapping to a free value works, and the old value becomes free.
    await c.updateOne({ _id: 2 }, { $set: { email: 'c' } });
    await c.updateOne({ _id: 1 }, { $set: { email: 'b' } });
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, email: 'b' },
      { _id: 2, email: 'c' },
    ]);
  });

  it('reports duplicate keys in ordered and unordered bulk writes', async () => {
    const c = db.collection<Loose>('bulk');
    await c.createIndex({ k: 1 }, { unique: true });
    const ordered = await c
      .insertMany([{ k: 1 }, { k: 1 }, { k: 2 }])
      .catch((e: unknown) => e as MongoBulkWriteError);
    expect(ordered).toBeInstanceOf(MongoBulkWriteError);
    expect((ordered as MongoBulkWriteError).insertedCount).toBe(1);
    expect((ordered as MongoBulkWriteError).writeErrors).toMatchObject([{ index: 1, code: 11000 }]);
    expect(await c.countDocuments()).toBe(1);

    const unordered = (await c
      .bulkWrite(
        [
          { insertOne: { document: { k: 1 } } },
          { insertOne: { document: { k: 3 } } },
          { updateOne: { filter: { k: 3 }, update: { $set: { k: 2 } } } },
          { insertOne: { document: { k: 2 } } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e)) as MongoBulkWriteError;
    expect(unordered).toBeInstanceOf(MongoBulkWriteError);
    // Unordered bulks are regrouped by operation type (inserts first), so the update is what fails.
    expect((unordered.writeErrors as unknown as { index: number }[]).map((e) => e.index)).toEqual([0, 2]);
    expect(
      (
        await c
          .find({}, { projection: { _id: 0 } })
          .sort({ k: 1 })
          .toArray()
      ).map((d) => d.k),
    ).toEqual([1, 2, 3]);
  });

  it('fails to build a unique index over duplicate data', async () => {
    const c = db.collection<Loose>('dups');
    await c.insertMany([{ e: 'x' }, { e: 'x' }]);
    const error = await failure(c.createIndex({ e: 1 }, { unique: true }));
    expect(error.code).toBe(11000);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('supports sparse and partial unique indexes', async () => {
    const c = db.collection<Loose>('partial');
    await c.createIndex({ slug: 1 }, { unique: true, partialFilterExpression: { deleted: false } });
    await c.insertMany([
      { slug: 'a', deleted: true },
      { slug: 'a', deleted: true },
      { slug: 'a', deleted: false },
    ]);
    expect((await failure(c.insertOne({ slug: 'a', deleted: false }))).code).toBe(11000);
    const s = db.collection<Loose>('sparse');
    await s.createIndex({ code: 1 }, { unique: true, sparse: true });
    await s.insertMany([{}, {}, { code: 1 }]);
    expect((await failure(s.insertOne({ code: 1 }))).code).toBe(11000);
  });

  it('renames collections with their indexes', async () => {
    await db.collection<Loose>('old').createIndex({ u: 1 }, { unique: true });
    await db.collection<Loose>('old').insertOne({ u: 1 });
    await db.collection<Loose>('old').rename('new');
    expect((await db.listCollections().toArray()).map((c) => c.name)).toEqual(['new']);
    const error = await failure(db.collection<Loose>('new').insertOne({ u: 1 }));
    expect(error.message).toContain(`collection: ${dbName}.new index: u_1`);
    await db.collection<Loose>('other').insertOne({});
    expect((await failure(db.collection<Loose>('new').rename('other'))).code).toBe(48);
    await db.collection<Loose>('new').rename('other', { dropTarget: true });
    expect(await db.collection<Loose>('other').countDocuments()).toBe(1);
  });

  it('manages collections: create, list with filter, drop, dropDatabase, listDatabases', async () => {
    await db.createCollection('a');
    await db.createCollection('b');
    expect((await failure(db.createCollection('a'))).code).toBe(48);
    const filtered = await db.listCollections({ name: 'b' }).toArray();
    expect(filtered).toHaveLength(1);
    expect(filtered[0]).toMatchObject({ name: 'b', type: 'collection', idIndex: { name: '_id_' } });
    expect(await db.collection<Loose>('a').drop()).toBe(true);
    expect((await db.listCollections().toArray()).map((c) => c.name)).toEqual(['b']);
    const admin = db.admin();
    expect((await admin.listDatabases()).databases.map((d) => d.name)).toContain(dbName);
    await db.dropDatabase();
    expect((await admin.listDatabases()).databases.map((d) => d.name)).not.toContain(dbName);
  });
});
