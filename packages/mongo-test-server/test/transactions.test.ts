import { Long, MongoServerError } from 'mongodb';
import type { ClientSession, Db, MongoClient } from 'mongodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Loose, uniqueDbName, useServer } from './helpers.js';

const ctx = useServer({ transactionLifetimeLimitMs: 60_000 });
let client: MongoClient;
let other: MongoClient;
let dbName: string;
let db: Db;

beforeEach(async () => {
  client = await ctx.client();
  other = await ctx.client();
  dbName = uniqueDbName('txn');
  db = client.db(dbName);
});

async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MongoServerError);
  return error as MongoServerError;
}

function countFromOther(collection: string, filter: object = {}): Promise<number> {
  return other.db(dbName).collection<Loose>(collection).countDocuments(filter);
}

describe('transactions', () => {
  it('commits via withTransaction: invisible before, visible after', async () => {
    const session = client.startSession();
    const seenByOther: number[] = [];
    try {
      await session.withTransaction(async () => {
        await db.collection<Loose>('t').insertOne({ _id: 1, v: 'a' }, { session });
        await db.collection<Loose>('t').insertOne({ _id: 2, v: 'b' }, { session });
        seenByOther.push(await countFromOther('t'));
        // The transaction reads its own writes.
        expect(await db.collection<Loose>('t').countDocuments({}, { session })).toBe(2);
        expect(await db.collection<Loose>('t').findOne({ _id: 2 }, { session })).toEqual({
          _id: 2,
          v: 'b',
        });
      });
    } finally {
      await session.endSession();
    }
    expect(seenByOther).toEqual([0]);
    expect(await countFromOther('t')).toBe(2);
  });

  it('abortTransaction discards staged writes', async () => {
    await db.collection<Loose>('t').insertOne({ _id: 1, v: 1 });
    const session = client.startSession();
    try {
      session.startTransaction();
      await db.collection<Loose>('t').updateOne({ _id: 1 }, { $set: { v: 2 } }, { session });
      await db.collection<Loose>('t').insertOne({ _id: 2 }, { session });
      await db.collection<Loose>('t').deleteOne({ _id: 1 }, { session });
      expect(await db.collection<Loose>('t').countDocuments({}, { session })).toBe(1);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await db.collection<Loose>('t').find({}).toArray()).toEqual([{ _id: 1, v: 1 }]);
  });

  it('aborts everything when a write fails mid-transaction (duplicate key)', async () => {
    await db.collection<Loose>('u').createIndex({ email: 1 }, { unique: true });
    await db.collection<Loose>('u').insertOne({ email: 'taken' });
    const session = client.startSession();
    try {
      const error = await failure(
        session.withTransaction(async () => {
          await db.collection<Loose>('u').insertOne({ email: 'new' }, { session });
          await db.collection<Loose>('u').insertOne({ email: 'taken' }, { session });
        }),
      );
      expect(error.code).toBe(11000);
    } finally {
      await session.endSession();
    }
    expect(await countFromOther('u')).toBe(1);
  });

  it('is all-or-nothing when a unique conflict appears at commit', async () => {
    await db.collection<Loose>('u').createIndex({ email: 1 }, { unique: true });
    const session = client.startSession();
    try {
      session.startTransaction();
      await db.collection<Loose>('u').insertOne({ email: 'a' }, { session });
      await db.collection<Loose>('u').insertOne({ email: 'race' }, { session });
      // Someone else takes 'race' outside the transaction (different _id, so no lock conflict).
      await other.db(dbName).collection<Loose>('u').insertOne({ email: 'race' });
      const error = await failure(session.commitTransaction());
      expect(error.code).toBe(11000);
    } finally {
      await session.endSession();
    }
    expect(await countFromOther('u')).toBe(1);
    expect(await countFromOther('u', { email: 'a' })).toBe(0);
  });

  it('enforces unique indexes inside a transaction against its own writes', async () => {
    await db.collection<Loose>('u').createIndex({ email: 1 }, { unique: true });
    const session = client.startSession();
    try {
      session.startTransaction();
      await db.collection<Loose>('u').insertOne({ email: 'x' }, { session });
      expect((await failure(db.collection<Loose>('u').insertOne({ email: 'x' }, { session }))).code).toBe(
        11000,
      );
      // The failed statement aborted the transaction server-side.
      expect((await failure(db.collection<Loose>('u').insertOne({ email: 'y' }, { session }))).code).toBe(
        251,
      );
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(await countFromOther('u')).toBe(0);
  });

  it('answers a conflicting writer with WriteConflict / TransientTransactionError', async () => {
    await db.collection<Loose>('w').insertOne({ _id: 1, n: 0 });
    const s1 = client.startSession();
    const s2 = other.startSession();
    try {
      s1.startTransaction();
      await db.collection<Loose>('w').updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s1 });
      s2.startTransaction();
      const conflict = await failure(
        other
          .db(dbName)
          .collection<Loose>('w')
          .updateOne({ _id: 1 }, { $inc: { n: 10 } }, { session: s2 }),
      );
      expect(conflict.code).toBe(112);
      expect(conflict.hasErrorLabel('TransientTransactionError')).toBe(true);
      await s2.abortTransaction();
      // A non-transactional writer is refused too while the lock is held.
      const plain = await failure(
        other
          .db(dbName)
          .collection<Loose>('w')
          .updateOne({ _id: 1 }, { $inc: { n: 100 } }),
      );
      expect(plain.code).toBe(112);
      await s1.commitTransaction();
      // Retrying a commit of the same transaction is acknowledged again.
      await s1.commitTransaction();
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect(await db.collection<Loose>('w').findOne({ _id: 1 })).toEqual({ _id: 1, n: 1 });
  });

  it('lets withTransaction retry after a write conflict until the other transaction commits', async () => {
    await db.collection<Loose>('w').insertOne({ _id: 1, n: 0 });
    const s1 = client.startSession();
    const s2 = other.startSession();
    try {
      s1.startTransaction();
      await db.collection<Loose>('w').updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s1 });
      let attempts = 0;
      const retried = s2.withTransaction(async (session: ClientSession) => {
        attempts++;
        await other
          .db(dbName)
          .collection<Loose>('w')
          .updateOne({ _id: 1 }, { $inc: { n: 10 } }, { session });
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await s1.commitTransaction();
      await retried;
      expect(attempts).toBeGreaterThan(1);
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect(await db.collection<Loose>('w').findOne({ _id: 1 })).toEqual({ _id: 1, n: 11 });
  });

  it('detects a conflict with a write committed after the transaction snapshot', async () => {
    await db.collection<Loose>('w').insertOne({ _id: 1, n: 0 });
    const session = client.startSession();
    try {
      session.startTransaction();
      expect(await db.collection<Loose>('w').findOne({ _id: 1 }, { session })).toEqual({ _id: 1, n: 0 });
      await other
        .db(dbName)
        .collection<Loose>('w')
        .updateOne({ _id: 1 }, { $set: { n: 5 } });
      // The snapshot still shows the old value...
      expect(await db.collection<Loose>('w').findOne({ _id: 1 }, { session })).toEqual({ _id: 1, n: 0 });
      // ...and committing a write on top of it would lose the other update.
      await db.collection<Loose>('w').updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session });
      const error = await failure(session.commitTransaction());
      expect(error.code).toBe(112);
    } finally {
      await session.endSession();
    }
    expect(await db.collection<Loose>('w').findOne({ _id: 1 })).toEqual({ _id: 1, n: 5 });
  });

  it('supports findOneAndUpdate, aggregate and getMore inside a transaction', async () => {
    await db.collection<Loose>('m').insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i, g: i % 3 })));
    const session = client.startSession();
    try {
      await session.withTransaction(async () => {
        const updated = await db
          .collection<Loose>('m')
          .findOneAndUpdate({ _id: 0 }, { $set: { g: 9 } }, { session, returnDocument: 'after' });
        expect(updated).toEqual({ _id: 0, g: 9 });
        const all = await db.collection<Loose>('m').find({}, { session, batchSize: 4 }).toArray();
        expect(all).toHaveLength(30);
        const groups = await db
          .collection<Loose>('m')
          .aggregate([{ $group: { _id: '$g', n: { $sum: 1 } } }, { $sort: { _id: 1 } }], { session })
          .toArray();
        expect(groups).toEqual([
          { _id: 0, n: 9 },
          { _id: 1, n: 10 },
          { _id: 2, n: 10 },
          { _id: 9, n: 1 },
        ]);
      });
    } finally {
      await session.endSession();
    }
    expect(await countFromOther('m', { g: 9 })).toBe(1);
  });

  it('aborts transactions idle longer than the lifetime limit', async () => {
    const server = await ctx.server();
    server.setTransactionLifetimeLimit(150);
    const session = client.startSession();
    try {
      await db.collection<Loose>('e').insertOne({ _id: 1, n: 0 });
      session.startTransaction();
      await db.collection<Loose>('e').updateOne({ _id: 1 }, { $set: { n: 1 } }, { session });
      await new Promise((resolve) => setTimeout(resolve, 400));
      // The lock was released with the expired transaction.
      await other
        .db(dbName)
        .collection<Loose>('e')
        .updateOne({ _id: 1 }, { $set: { n: 2 } });
      expect((await failure(session.commitTransaction())).code).toBe(251);
    } finally {
      server.setTransactionLifetimeLimit(60_000);
      await session.endSession();
    }
    expect(await db.collection<Loose>('e').findOne({ _id: 1 })).toEqual({ _id: 1, n: 2 });
  });

  it('dedupes a retried write with the same lsid and txnNumber', async () => {
    const session = client.startSession();
    try {
      const command = { insert: 'r', documents: [{ x: 1 }], txnNumber: Long.fromNumber(42) };
      const first = await db.command(command, { session });
      const second = await db.command(command, { session });
      expect(first.n).toBe(1);
      expect(second.n).toBe(1);
    } finally {
      await session.endSession();
    }
    expect(await db.collection<Loose>('r').countDocuments()).toBe(1);
  });
});
