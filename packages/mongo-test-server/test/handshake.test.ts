import { MongoClient, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { MongoTestServer } from '../src/index.js';
import { fastClientOptions, uniqueDbName, useServer } from './helpers.js';

const ctx = useServer();

describe('handshake and topology', () => {
  it('connects with directConnection=true and reports a writable primary', async () => {
    const client = await ctx.client();
    const hello = await client.db('admin').command({ hello: 1 });
    const server = await ctx.server();
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.setName).toBe('rs0');
    expect(hello.hosts).toEqual([`127.0.0.1:${server.port}`]);
    expect(hello.me).toBe(`127.0.0.1:${server.port}`);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
    expect(hello.compression).toBeUndefined();
    expect(server.url).toBe(`mongodb://127.0.0.1:${server.port}/?directConnection=true`);
  });

  it('answers the legacy isMaster command', async () => {
    const client = await ctx.client();
    const reply = await client.db('admin').command({ isMaster: 1 });
    expect(reply.ismaster).toBe(true);
    expect(reply.isWritablePrimary).toBeUndefined();
  });

  it('is discovered as a replica set primary with ?replicaSet=rs0', async () => {
    const server = await ctx.server();
    expect(server.replicaSetUrl).toBe(`mongodb://127.0.0.1:${server.port}/?replicaSet=rs0`);
    const client = await ctx.client({}, server.replicaSetUrl);
    const db = client.db(uniqueDbName('rs'));
    await db.collection('c').insertOne({ a: 1 });
    expect(await db.collection('c').countDocuments()).toBe(1);
    const topology = (client as unknown as { topology: { description: { type: string } } }).topology;
    expect(topology.description.type).toBe('ReplicaSetWithPrimary');
  });

  it('answers ping, buildInfo and getParameter', async () => {
    const client = await ctx.client();
    const admin = client.db('admin');
    expect((await admin.command({ ping: 1 })).ok).toBe(1);
    const info = await admin.command({ buildInfo: 1 });
    expect(info.version).toMatch(/^7\./);
    const params = await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(params.featureCompatibilityVersion).toEqual({ version: '7.0' });
  });

  it('rejects unknown commands with CommandNotFound', async () => {
    const client = await ctx.client();
    const error = await client
      .db('admin')
      .command({ frobnicate: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(59);
    expect((error as MongoServerError).codeName).toBe('CommandNotFound');
    expect((error as MongoServerError).message).toBe("no such command: 'frobnicate'");
  });

  it('listens on a fixed port when asked and frees it on stop', async () => {
    const probe = await MongoTestServer.start();
    const port = probe.port;
    await probe.stop();
    const server = await MongoTestServer.start({ port });
    try {
      expect(server.port).toBe(port);
      const client = new MongoClient(server.url, fastClientOptions);
      try {
        expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      } finally {
        await client.close();
      }
    } finally {
      await server.stop();
    }
  });
});
