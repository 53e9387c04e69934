import {
  CommitOutcomeUnknownError,
  TransactionsUnsupportedError,
  UniqueViolationError,
  ValidationError,
  buildInsertRow,
  defineEntity,
  field,
} from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withMongoCollection } from '../src/index.js';
import { useDatabases } from './support/open-database.js';
import { TEST_DATABASE, startServer } from './support/test-server.js';

const Task = defineEntity('standalone_tasks', {
  id: field.id(),
  title: field.string(),
  done: field.boolean().default(false),
  version: field.version(),
});

const Coded = defineEntity('standalone_coded', {
  id: field.id(),
  code: field.string().unique(),
  group: field.string(),
});

let server: MongoTestServer;
beforeAll(async () => {
  server = await startServer({ standalone: true });
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.reset();
});
const open = useDatabases(() => server);
const stored = () => server.documents(TEST_DATABASE, Task.name);

/** Its collection gets a JSON-schema validator from `ensureSchema`: `label` at most 5 characters. */
const Labelled = defineEntity('standalone_labelled', {
  id: field.id(),
  label: field.string({ max: 5 }),
  rank: field.integer(),
  version: field.version(),
});

describe('on a standalone server', () => {
  it('reports no transactions, and refuses everything that needs one with TransactionsUnsupportedError, writing nothing', async () => {
    const { db } = await open([Task]);
    expect(db.capabilities.transactions).toBe(false);
    const writes: string[] = [];
    server.setCommandHook(({ name }) => {
      if (['insert', 'update', 'findAndModify', 'delete', 'commitTransaction'].includes(name))
        writes.push(name);
      return undefined;
    });
    try {
      await expect(db.transaction(async () => undefined)).rejects.toBeInstanceOf(
        TransactionsUnsupportedError,
      );
      const many = db.repository(Task).insertMany([{ title: 'a' }, { title: 'b' }]);
      await expect(many).rejects.toThrow(/does not support transactions/);
      const uow = db.unitOfWork();
      uow.persist(Task, { title: 'c' });
      uow.persist(Task, { title: 'd' });
      await expect(uow.flush()).rejects.toBeInstanceOf(TransactionsUnsupportedError);
      // Below the core, the connection refuses too: a multi-row insert, and begin().
      const lease = await db.pool.acquire();
      try {
        const rows = [
          buildInsertRow(Task, { title: 'e' }, new Date()),
          buildInsertRow(Task, { title: 'f' }, new Date()),
        ];
        await expect(lease.connection.insert({ entity: Task, rows })).rejects.toBeInstanceOf(
          TransactionsUnsupportedError,
        );
        await expect(lease.connection.begin()).rejects.toBeInstanceOf(TransactionsUnsupportedError);
        expect(lease.connection.broken).toBe(false);
      } finally {
        await db.pool.release(lease);
      }
    } finally {
      server.setCommandHook(undefined);
    }
    expect(writes).toEqual([]);
    expect(stored()).toEqual([]);
  });

  it('single-document insert, update, delete and one-change flushes work', async () => {
    const { db } = await open([Task]);
    const repo = db.repository(Task);
    const [one] = await repo.insertMany([{ title: 'one' }]);
    const two = await repo.insert({ title: 'two' });
    expect(await repo.update(two.id, { done: true }, { expectedVersion: 1 })).toMatchObject({
      done: true,
      version: 2,
    });
    await repo.delete(one!.id);
    const uow = db.unitOfWork();
    const loaded = (await uow.findById(Task, two.id))!;
    loaded.title = 'two, renamed';
    expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(stored()).toEqual([{ _id: two.id, title: 'two, renamed', done: true, version: 3 }]);
    await expect(repo.update(two.id, { done: false }, { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'OPTIMISTIC_LOCK',
    });
  });

  it('an updateMany the validator refuses part way is an unknown outcome, never "nothing written": the documents before the refused one were changed', async () => {
    const { db } = await open([Labelled]);
    const repo = db.repository(Labelled);
    await repo.insertMany([{ label: 'a', rank: 1 }]);
    for (const label of ['b', 'c', 'd']) await repo.insert({ label, rank: 1 });
    // A document stored before the validator allowed it (or written past it): the next update of it is refused.
    await withMongoCollection(db, Labelled, ({ collection, session }) =>
      collection.insertOne(
        { _id: 'e' as never, label: 'too long', rank: 1, version: 1 },
        { session, bypassDocumentValidation: true },
      ),
    );
    const failure = await repo.updateMany({}, { rank: 2 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CommitOutcomeUnknownError);
    const error = failure as CommitOutcomeUnknownError;
    expect(error.retryable).toBe(false);
    expect(error.message).not.toMatch(/nothing (was )?written/);
    expect(error.message).toMatch(/documents matched before the refused one may have been changed/);
    // The server's refusal, with the field it named, is the cause.
    expect(error.cause).toBeInstanceOf(ValidationError);
    expect((error.cause as ValidationError).issues.map((i) => i.field)).toEqual(['label']);
    // What the message says is what happened: four documents changed, the refused one not.
    const ranks = Object.fromEntries(
      server.documents(TEST_DATABASE, Labelled.name).map((doc) => [doc.label, doc.rank]),
    );
    expect(ranks).toEqual({ a: 2, b: 2, c: 2, d: 2, 'too long': 1 });
    expect(await repo.count({ rank: 2 })).toBe(4);
  });

  it('a single-document update the validator refuses is a ValidationError: that document was not written', async () => {
    const { db } = await open([Labelled]);
    await withMongoCollection(db, Labelled, ({ collection, session }) =>
      collection.insertOne(
        { _id: 'e' as never, label: 'too long', rank: 1, version: 1 },
        { session, bypassDocumentValidation: true },
      ),
    );
    const refused = db.repository(Labelled).update('e', { rank: 2 });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toThrow(/refused the document, which was not written/);
    expect(server.documents(TEST_DATABASE, Labelled.name).map((doc) => doc.rank)).toEqual([1]);
  });

  it('an updateMany a unique index refuses at its second document is an unknown outcome too: the first was changed', async () => {
    const { db } = await open([Coded]);
    const repo = db.repository(Coded);
    for (const code of ['x', 'y', 'z']) await repo.insert({ code, group: 'g' });
    const failure = await repo.updateMany({ group: 'g' }, { code: 'same' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((failure as Error).cause).toBeInstanceOf(UniqueViolationError);
    expect(await repo.count({ code: 'same' })).toBe(1);
  });
});
