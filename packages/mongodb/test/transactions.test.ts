import { TransactionConflictError, defineEntity, field } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useDatabases } from './support/open-database.js';
import { TEST_DATABASE, startServer } from './support/test-server.js';

const Seat = defineEntity('transaction_seats', {
  id: field.id(),
  holder: field.string(),
  version: field.version(),
});

let server: MongoTestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.clearFaults();
  server.reset();
});
const open = useDatabases(() => server);

describe('transactions', () => {
  it('a write conflict with another transaction surfaces as the retryable TransactionConflictError; a retry succeeds', async () => {
    const { db } = await open([Seat], { max: 2 });
    const seat = await db.repository(Seat).insert({ holder: 'nobody' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const first = db.transaction(async (tx) => {
      await tx.repository(Seat).update(seat.id, { holder: 'first' });
      entered();
      await gate;
    });
    await inside;
    const second = () => db.transaction((tx) => tx.repository(Seat).update(seat.id, { holder: 'second' }));
    const error = await second().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionConflictError);
    expect((error as TransactionConflictError).retryable).toBe(true);
    release();
    await first;
    // The caller runs the whole unit of work again, now that the other transaction has committed.
    await second();
    expect(server.documents(TEST_DATABASE, Seat.name)).toEqual([
      { _id: seat.id, holder: 'second', version: 3 },
    ]);
    expect(server.openTransactionCount).toBe(0);
  });

  it('a commit whose reply is lost is retried (UnknownTransactionCommitResult) and commits exactly once', async () => {
    const { db } = await open([Seat]);
    let commits = 0;
    server.setCommandHook(({ name }) => {
      if (name !== 'commitTransaction') return undefined;
      commits++;
      // The first two attempts run, then lose their reply: the driver retries once, berth again.
      return commits <= 2 ? { dropReply: true } : undefined;
    });
    await db.transaction(async (tx) => {
      await tx.repository(Seat).insert({ holder: 'once' });
    });
    server.setCommandHook(undefined);
    expect(commits).toBe(3);
    expect(server.documents(TEST_DATABASE, Seat.name).map((d) => d.holder)).toEqual(['once']);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
  });
});
