import { MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { type Loose, uniqueDbName, useServer } from './helpers.js';

const ctx = useServer({ standalone: true });

describe('standalone mode', () => {
  it('hello carries no replica-set fields; the driver sees a Standalone server', async () => {
    const client = await ctx.client();
    const hello = await client.db('admin').command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.setName).toBeUndefined();
    expect(hello.hosts).toBeUndefined();
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    const topology = (client as unknown as { topology: { description: { type: string } } }).topology;
    expect(topology.description.type).toBe('Single');
    const servers = [...(client as Loose).topology.description.servers.values()];
    expect(servers[0].type).toBe('Standalone');
    const status = await client.db('admin').command({ serverStatus: 1 });
    expect(status.repl).toBeUndefined();
    const server = await ctx.server();
    expect(server.standalone).toBe(true);
    expect(() => server.replicaSetUrl).toThrow(/standalone/);
  });

  it('refuses transactions with IllegalOperation (code 20), writing nothing; plain writes work', async () => {
    const client = await ctx.client();
    const c = client.db(uniqueDbName('sa')).collection<Loose>('c');
    await c.insertOne({ _id: 1 });
    const session = client.startSession();
    try {
      session.startTransaction();
      const error = await c.insertOne({ _id: 2 }, { session }).catch((e: unknown) => e);
      // The driver rewrites this reply into its "does not support retryable writes" error, keeping the
      // server's own reply as `originalError`, exactly as it does for a real standalone mongod.
      expect(error).toBeInstanceOf(MongoServerError);
      const original = (error as Loose).errorResponse.originalError as MongoServerError;
      expect(original.code).toBe(20);
      expect(original.codeName).toBe('IllegalOperation');
      expect(original.message).toBe('Transaction numbers are only allowed on a replica set member or mongos');
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await c.find().toArray()).toEqual([{ _id: 1 }]);
    await c.updateOne({ _id: 1 }, { $set: { a: 1 } });
    expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1 });
  });
});
