import { MongoNetworkError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { type Loose, uniqueDbName, useServer } from './helpers.js';

const ctx = useServer();

async function eventually(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function sessionId(session: { id?: { id: { toString(encoding: 'hex'): string } } }): string {
  return session.id!.id.toString('hex');
}

describe('session tracking and inspection', () => {
  it('counts the sessions in use; endSessions on client close forgets them', async () => {
    const server = await ctx.server();
    const client = await ctx.client();
    const base = server.sessionCount;
    const db = client.db(uniqueDbName('s'));
    const a = client.startSession();
    const b = client.startSession();
    await db.command({ ping: 1 }, { session: a });
    await db.command({ ping: 1 }, { session: b });
    expect(server.sessionCount).toBe(base + 2);
    await a.endSession();
    await b.endSession();
    // The driver pools ended sessions and ends them on the server when the client closes.
    expect(server.sessionCount).toBe(base + 2);
    await client.close();
    // endSessions is sent without waiting for its reply.
    await eventually(() => server.sessionCount === base);
  });

  it('killSession aborts its transaction, forgets it, and fails its later commands with a network error', async () => {
    const server = await ctx.server();
    const client = await ctx.client({ retryReads: false, retryWrites: false });
    const c = client.db(uniqueDbName('s')).collection<Loose>('c');
    await c.insertOne({ _id: 0 });
    const session = client.startSession();
    session.startTransaction();
    await c.insertOne({ _id: 1 }, { session });
    expect(server.openTransactionCount).toBe(1);
    const before = server.sessionCount;
    server.killSession(sessionId(session));
    expect(server.openTransactionCount).toBe(0);
    expect(server.sessionCount).toBe(before - 1);
    const error = await c.countDocuments({}, { session }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoNetworkError);
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await c.countDocuments({})).toBe(1);
  });

  it('documents() reads committed documents without a client', async () => {
    const server = await ctx.server();
    const client = await ctx.client();
    const name = uniqueDbName('s');
    await client
      .db(name)
      .collection<Loose>('c')
      .insertMany([
        { _id: 'a', n: 1 },
        { _id: 'b', at: new Date(5) },
      ]);
    const docs = server.documents(name, 'c');
    expect(docs).toEqual([
      { _id: 'a', n: 1 },
      { _id: 'b', at: new Date(5) },
    ]);
    docs[0]!.n = 2;
    expect(server.documents(name, 'c')[0]!.n).toBe(1);
    expect(server.documents(name, 'missing')).toEqual([]);
  });
});
