import { ObjectId } from 'mongodb';
import type { Db } from 'mongodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Loose, uniqueDbName, useServer } from './helpers.js';

const ctx = useServer();
let db: Db;

beforeEach(async () => {
  db = (await ctx.client()).db(uniqueDbName('crud'));
});

const people = [
  {
    _id: 1,
    name: 'ada',
    age: 36,
    email: 'ada@x.io',
    tags: ['math', 'code'],
    born: new Date('1815-12-10'),
    boss: null,
  },
  { _id: 2, name: 'bob', age: 25, email: 'bob@x.io', tags: ['code'], born: new Date('1990-01-01') },
  { _id: 3, name: 'cy', age: 25, email: null, tags: [], born: new Date('1985-06-15'), boss: 1 },
  { _id: 4, name: 'Dee', age: 52, tags: ['art'], born: new Date('1970-03-03'), boss: 1 },
];

async function ids(filter: object): Promise<number[]> {
  const docs = await db.collection<Loose>('people').find(filter).sort({ _id: 1 }).toArray();
  return docs.map((doc) => doc._id);
}

describe('CRUD', () => {
  it('inserts, finds by id, and clones documents in and out', async () => {
    const doc = { name: 'x', nested: { a: 1 } };
    const { insertedId } = await db.collection<Loose>('c').insertOne(doc);
    expect(insertedId).toBeInstanceOf(ObjectId);
    const found = await db.collection<Loose>('c').findOne({ _id: insertedId });
    expect(found).toEqual({ _id: insertedId, name: 'x', nested: { a: 1 } });
    expect(Object.keys(found ?? {})[0]).toBe('_id');
  });

  it('stores a __proto__ field as data, and touches no prototype', async () => {
    const doc = JSON.parse('{"_id": 1, "data": {"__proto__": {"polluted": true}, "a": 1}}');
    await db.collection<Loose>('proto').insertOne(doc);
    const found = await db.collection<Loose>('proto').findOne({ _id: 1 });
    expect(Object.hasOwn(found.data, '__proto__')).toBe(true);
    expect(JSON.stringify(found.data)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(Object.getPrototypeOf(found.data)).toBe(Object.prototype);
    expect(({} as Loose).polluted).toBeUndefined();
  });

  it('supports every filter operator the adapter uses', async () => {
    await db.collection<Loose>('people').insertMany(people);
    expect(await ids({ age: { $eq: 25 } })).toEqual([2, 3]);
    expect(await ids({ age: { $ne: 25 } })).toEqual([1, 4]);
    expect(await ids({ age: { $gt: 25 } })).toEqual([1, 4]);
    expect(await ids({ age: { $gte: 36 } })).toEqual([1, 4]);
    expect(await ids({ age: { $lt: 36 } })).toEqual([2, 3]);
    expect(await ids({ age: { $lte: 36 } })).toEqual([1, 2, 3]);
    expect(await ids({ name: { $in: ['ada', 'cy', 'zed'] } })).toEqual([1, 3]);
    expect(await ids({ name: { $nin: ['ada', 'cy'] } })).toEqual([2, 4]);
    expect(await ids({ name: { $regex: '^d', $options: 'i' } })).toEqual([4]);
    expect(await ids({ name: /^b/ })).toEqual([2]);
    expect(await ids({ email: { $exists: false } })).toEqual([4]);
    expect(await ids({ email: { $exists: true } })).toEqual([1, 2, 3]);
    expect(await ids({ $and: [{ age: 25 }, { name: 'cy' }] })).toEqual([3]);
    expect(await ids({ $or: [{ age: 52 }, { name: 'ada' }] })).toEqual([1, 4]);
    expect(await ids({ $nor: [{ age: 25 }, { name: 'ada' }] })).toEqual([4]);
    expect(await ids({ age: { $not: { $gt: 30 } } })).toEqual([2, 3]);
    expect(await ids({ email: null })).toEqual([3, 4]);
    expect(await ids({ boss: null })).toEqual([1, 2]);
    expect(await ids({ email: { $ne: null } })).toEqual([1, 2]);
    expect(await ids({ tags: 'code' })).toEqual([1, 2]);
    expect(await ids({ born: { $lt: new Date('1980-01-01') } })).toEqual([1, 4]);
  });

  it('sorts on multiple keys including dates, with skip and limit', async () => {
    await db.collection<Loose>('people').insertMany(people);
    const byAgeThenBorn = await db.collection<Loose>('people').find({}).sort({ age: 1, born: -1 }).toArray();
    expect(byAgeThenBorn.map((d) => d._id)).toEqual([2, 3, 1, 4]);
    const byBorn = await db.collection<Loose>('people').find({}).sort({ born: 1 }).skip(1).limit(2).toArray();
    expect(byBorn.map((d) => d._id)).toEqual([4, 3]);
    const projected = await db
      .collection<Loose>('people')
      .find({ age: 25 }, { projection: { name: 1 } })
      .sort({ name: -1 })
      .toArray();
    expect(projected).toEqual([
      { _id: 3, name: 'cy' },
      { _id: 2, name: 'bob' },
    ]);
    const excluded = await db
      .collection<Loose>('people')
      .findOne({ _id: 2 }, { projection: { tags: 0, born: 0, _id: 0 } });
    expect(excluded).toEqual({ name: 'bob', age: 25, email: 'bob@x.io' });
  });

  it('pages through many documents with getMore', async () => {
    const docs = Array.from({ length: 250 }, (_, i) => ({ _id: i, n: i }));
    await db.collection<Loose>('many').insertMany(docs);
    const seen: number[] = [];
    for await (const doc of db.collection<Loose>('many').find({}, { batchSize: 7 }).sort({ n: -1 }))
      seen.push(doc.n);
    expect(seen).toHaveLength(250);
    expect(seen[0]).toBe(249);
    expect(seen[249]).toBe(0);
    const limited = await db.collection<Loose>('many').find({}).limit(120).batchSize(50).toArray();
    expect(limited).toHaveLength(120);
    const all = await db.collection<Loose>('many').find({}).toArray();
    expect(all).toHaveLength(250);
  });

  it('closes cursors with killCursors and reports unknown cursors', async () => {
    await db.collection<Loose>('many').insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    const cursor = db.collection<Loose>('many').find({}, { batchSize: 2 });
    await cursor.next();
    await cursor.close();
    const error = await db.command({ getMore: 123456789, collection: 'many' }).catch((e: unknown) => e);
    expect((error as { code: number }).code).toBe(43);
  });

  it('updates with operators, multi, upsert, $setOnInsert and arrayFilters', async () => {
    const c = db.collection<Loose>('people');
    await c.insertMany(people);
    const one = await c.updateOne(
      { _id: 1 },
      { $set: { name: 'Ada' }, $inc: { age: 1 }, $push: { tags: 'x' } as never },
    );
    expect(one).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ _id: 1 })).toMatchObject({ name: 'Ada', age: 37, tags: ['math', 'code', 'x'] });

    const same = await c.updateOne({ _id: 1 }, { $set: { name: 'Ada' } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });

    const many = await c.updateMany({ age: 25 }, { $unset: { email: '' } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await ids({ email: { $exists: false } })).toEqual([2, 3, 4]);

    const upsert = await c.updateOne(
      { name: 'eve', age: { $gt: 1 } },
      { $set: { age: 30 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(upsert.upsertedCount).toBe(1);
    expect(upsert.upsertedId).toBeInstanceOf(ObjectId);
    expect(await c.findOne({ name: 'eve' }, { projection: { _id: 0 } })).toEqual({
      name: 'eve',
      age: 30,
      created: true,
    });

    const notInserted = await c.updateOne(
      { name: 'eve' },
      { $setOnInsert: { created: false }, $set: { x: 1 } },
      { upsert: true },
    );
    expect(notInserted).toMatchObject({ matchedCount: 1, upsertedCount: 0 });
    expect(await c.findOne({ name: 'eve' })).toMatchObject({ created: true, x: 1 });

    await c.insertOne({ _id: 10, grades: [{ g: 80 }, { g: 95 }, { g: 99 }] });
    await c.updateOne(
      { _id: 10 },
      { $set: { 'grades.$[high].top': true } },
      { arrayFilters: [{ 'high.g': { $gte: 95 } }] },
    );
    expect((await c.findOne({ _id: 10 }))?.grades).toEqual([
      { g: 80 },
      { g: 95, top: true },
      { g: 99, top: true },
    ]);
  });

  it('supports the remaining update operators and pipeline updates', async () => {
    const c = db.collection<Loose>('ops');
    await c.insertOne({ _id: 1, n: 5, m: 2, arr: [1, 2, 3, 2], set: ['a'], old: 'x', lo: 10, hi: 10 });
    await c.updateOne(
      { _id: 1 },
      {
        $mul: { m: 3 },
        $pull: { arr: 2 } as never,
        $addToSet: { set: { $each: ['a', 'b'] } },
        $rename: { old: 'renamed' },
        $min: { lo: 3 },
        $max: { hi: 30 },
        $currentDate: { touched: true },
      },
    );
    const doc = await c.findOne({ _id: 1 });
    expect(doc).toMatchObject({ n: 5, m: 6, arr: [1, 3], set: ['a', 'b'], renamed: 'x', lo: 3, hi: 30 });
    expect(doc?.old).toBeUndefined();
    expect(doc?.touched).toBeInstanceOf(Date);
    await c.updateOne({ _id: 1 }, [{ $set: { total: { $add: ['$n', '$m'] } } }, { $unset: 'arr' }]);
    expect(await c.findOne({ _id: 1 }, { projection: { total: 1, arr: 1 } })).toEqual({ _id: 1, total: 11 });
    // Optimistic-concurrency upsert on a stale version collides on _id like mongod.
    const stale = await c
      .updateOne({ _id: 1, n: 4 }, { $set: { n: 6 } }, { upsert: true })
      .catch((e: unknown) => e);
    expect((stale as { code: number }).code).toBe(11000);
  });

  it('replaces documents and refuses to change _id', async () => {
    const c = db.collection<Loose>('r');
    await c.insertOne({ _id: 1, a: 1, b: 2 });
    const result = await c.replaceOne({ _id: 1 }, { a: 5 });
    expect(result.modifiedCount).toBe(1);
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 5 });
    const error = await c.updateOne({ _id: 1 }, { $set: { _id: 2 } }).catch((e: unknown) => e);
    expect((error as { code: number }).code).toBe(66);
    const sameId = await c.updateOne({ _id: 1 }, { $set: { _id: 1, a: 6 } });
    expect(sameId.modifiedCount).toBe(1);
    await c.updateOne({ k: 'u' }, { $setOnInsert: { _id: 'chosen' } }, { upsert: true });
    expect(await c.findOne({ k: 'u' })).toEqual({ _id: 'chosen', k: 'u' });
    const upserted = await c.replaceOne({ _id: 7 }, { z: 1 }, { upsert: true });
    expect(upserted.upsertedId).toBe(7);
    expect(await c.findOne({ _id: 7 })).toEqual({ _id: 7, z: 1 });
  });

  it('deletes one or many', async () => {
    const c = db.collection<Loose>('people');
    await c.insertMany(people);
    expect((await c.deleteOne({ age: 25 })).deletedCount).toBe(1);
    expect((await c.deleteMany({ age: { $gte: 0 } })).deletedCount).toBe(3);
    expect(await c.countDocuments()).toBe(0);
  });

  it('findOneAndUpdate / findOneAndDelete / findOneAndReplace', async () => {
    const c = db.collection<Loose>('people');
    await c.insertMany(people);
    const before = await c.findOneAndUpdate({ age: 25 }, { $inc: { age: 1 } }, { sort: { _id: -1 } });
    expect(before).toMatchObject({ _id: 3, age: 25 });
    const after = await c.findOneAndUpdate(
      { _id: 2 },
      { $set: { name: 'bobby' } },
      { returnDocument: 'after', projection: { name: 1 } },
    );
    expect(after).toEqual({ _id: 2, name: 'bobby' });
    const upserted = await c.findOneAndUpdate(
      { _id: 99 },
      { $set: { n: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(upserted).toEqual({ _id: 99, n: 1 });
    const missing = await c.findOneAndUpdate({ _id: 1000 }, { $set: { n: 1 } });
    expect(missing).toBeNull();
    const meta = await c.findOneAndUpdate({ _id: 4 }, { $set: { n: 2 } }, { includeResultMetadata: true });
    expect(meta.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    const deleted = await c.findOneAndDelete({ _id: 4 });
    expect(deleted).toMatchObject({ _id: 4, n: 2 });
    const replaced = await c.findOneAndReplace({ _id: 1 }, { name: 'new' }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 1, name: 'new' });
  });

  it('counts (countDocuments, estimatedDocumentCount) and distinct', async () => {
    const c = db.collection<Loose>('people');
    await c.insertMany(people);
    expect(await c.countDocuments({ age: 25 })).toBe(2);
    expect(await c.countDocuments({}, { skip: 1, limit: 2 })).toBe(2);
    expect(await c.estimatedDocumentCount()).toBe(4);
    expect(await db.collection<Loose>('nothing').countDocuments()).toBe(0);
    expect((await c.distinct('age')).sort()).toEqual([25, 36, 52]);
    expect((await c.distinct('tags')).sort()).toEqual(['art', 'code', 'math']);
  });

  it('aggregates through mingo with a cursor', async () => {
    const c = db.collection<Loose>('people');
    await c.insertMany(people);
    const groups = await c
      .aggregate([
        { $match: { age: { $lt: 60 } } },
        { $group: { _id: '$age', count: { $sum: 1 }, names: { $push: '$name' } } },
        { $sort: { _id: 1 } },
        { $project: { _id: 0, age: '$_id', count: 1 } },
      ])
      .toArray();
    expect(groups).toEqual([
      { count: 2, age: 25 },
      { count: 1, age: 36 },
      { count: 1, age: 52 },
    ]);
    expect(await c.aggregate([{ $match: { age: 25 } }, { $count: 'n' }]).toArray()).toEqual([{ n: 2 }]);
    const paged = await c
      .aggregate([{ $sort: { _id: 1 } }, { $skip: 1 }, { $limit: 2 }], { batchSize: 1 })
      .toArray();
    expect(paged.map((d) => d._id)).toEqual([2, 3]);
    const joined = await c
      .aggregate([
        { $match: { _id: 3 } },
        { $lookup: { from: 'people', localField: 'boss', foreignField: '_id', as: 'b' } },
      ])
      .toArray();
    expect(joined[0]?.b[0]?.name).toBe('ada');
  });

  it('bulkWrite ordered and unordered', async () => {
    const c = db.collection<Loose>('bulk');
    const result = await c.bulkWrite([
      { insertOne: { document: { _id: 1, v: 1 } } },
      { insertOne: { document: { _id: 2, v: 2 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { v: 10 } } } },
      { updateMany: { filter: {}, update: { $inc: { v: 1 } } } },
      { replaceOne: { filter: { _id: 3 }, replacement: { v: 3 }, upsert: true } },
      { deleteOne: { filter: { _id: 2 } } },
    ]);
    expect(result).toMatchObject({
      insertedCount: 2,
      matchedCount: 3,
      modifiedCount: 3,
      upsertedCount: 1,
      deletedCount: 1,
    });
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, v: 11 },
      { _id: 3, v: 3 },
    ]);
  });

  it('survives malformed operators with an error reply', async () => {
    const c = db.collection<Loose>('people');
    await c.insertMany(people);
    const badQuery = await c
      .find({ age: { $bogus: 1 } })
      .toArray()
      .catch((e: unknown) => e);
    expect(badQuery).toBeInstanceOf(Error);
    expect((badQuery as { code?: number }).code).toBeTypeOf('number');
    const badUpdate = await c.updateOne({ _id: 1 }, { $bogus: { a: 1 } }).catch((e: unknown) => e);
    expect(badUpdate).toBeInstanceOf(Error);
    const where = await c
      .find({ $where: 'sleep(1000)' })
      .toArray()
      .catch((e: unknown) => e);
    expect(where).toBeInstanceOf(Error);
    expect(await c.countDocuments()).toBe(4);
  });
});
