import { TransactionsUnsupportedError, buildInsertRow, defineEntity, field } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useDatabases } from './support/open-database.js';
import { TEST_DATABASE, startServer } from './support/test-server.js';

const Task = defineEntity('standalone_tasks', {
  id: field.id(),
  title: field.string(),
  done: field.boolean().default(false),
  version: field.version(),
});

let server: MongoTestServer;
beforeAll(async () => {
  server = await startServer({ standalone: true });
});
afterAll(async () => {
  await server.stop();
});
const open = useDatabases(() => server);
const stored = () => server.documents(TEST_DATABASE, Task.name);

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
});
