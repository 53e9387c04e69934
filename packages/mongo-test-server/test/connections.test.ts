import { MongoClient, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { MongoTestServer } from '../src/index.js';
import { fastClientOptions } from './helpers.js';

const servers: MongoTestServer[] = [];
const clients: MongoClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close(true)));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function setup(options: ConstructorParameters<typeof MongoClient>[1] = {}) {
  const server = await MongoTestServer.start({ port: 0 });
  servers.push(server);
  const client = new MongoClient(server.url, { ...fastClientOptions, ...options });
  clients.push(client);
  await client.connect();
  return { server, client };
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('connections and fault injection', () => {
  it('databaseUrl names the database a client uses by default', async () => {
    const server = await MongoTestServer.start({ port: 0 });
    servers.push(server);
    const client = new MongoClient(server.databaseUrl('berth_named'), fastClientOptions);
    clients.push(client);
    await client
      .db()
      .collection('things')
      .insertOne({ _id: 'a' } as never);
    expect(client.db().databaseName).toBe('berth_named');
    expect(await client.db('berth_named').collection('things').countDocuments()).toBe(1);
  });

  it('serverStatus tracks the open connections of the driver pool', async () => {
    const { server, client } = await setup({ maxPoolSize: 10 });
    await client.db('x').collection('c').insertOne({ a: 1 });
    // Overlapping slow finds force the pool to open several connections.
    server.setCommandDelay(100, { commands: ['find'] });
    await Promise.all(Array.from({ length: 4 }, () => client.db('x').collection('c').findOne({})));
    server.setCommandDelay(0);
    const status = await client.db('admin').command({ serverStatus: 1 });
    expect(status.connections.current).toBe(server.connectionCount);
    expect(status.connections.current).toBeGreaterThanOrEqual(5); // 4 pooled + the monitor
    expect(status.connections.active).toBeGreaterThanOrEqual(1);
    expect(status.connections.totalCreated).toBeGreaterThanOrEqual(status.connections.current);
    expect(status.connections.available).toBeGreaterThan(0);

    const second = new MongoClient(server.url, fastClientOptions);
    clients.push(second);
    await second.db('admin').command({ ping: 1 });
    const withSecond = server.connectionCount;
    expect(withSecond).toBeGreaterThan(status.connections.current);
    await second.close();
    await eventually(() => server.connectionCount === status.connections.current);
    await client.close();
    await eventually(() => server.connectionCount === 0);
  });

  it('dropAllConnections fails in-flight operations, and the driver recovers', async () => {
    const { server, client } = await setup({ retryReads: false, retryWrites: false });
    const c = client.db('x').collection('c');
    await c.insertOne({ _id: 1 } as never);
    server.setCommandDelay(500, { commands: ['find'] });
    const inFlight = c.findOne({}).catch((e: unknown) => e);
    await eventually(() => server.connectionCount >= 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.dropAllConnections();
    server.setCommandDelay(0);
    expect(await inFlight).toBeInstanceOf(MongoNetworkError);
    expect(await c.findOne({})).toEqual({ _id: 1 });
    expect(server.connectionCount).toBeGreaterThan(0);
  });

  it('restart keeps data on the same port and the driver reconnects', async () => {
    const { server, client } = await setup();
    const c = client.db('x').collection('c');
    await c.createIndex({ k: 1 }, { unique: true });
    await c.insertOne({ k: 1 });
    const port = server.port;
    await server.restart();
    expect(server.port).toBe(port);
    expect(await c.countDocuments()).toBe(1);
    expect((await c.insertOne({ k: 1 }).catch((e: unknown) => e)) as MongoServerError).toMatchObject({
      code: 11000,
    });
  });

  it('operations fail while stopped and succeed after the server comes back', async () => {
    const { server, client } = await setup({ serverSelectionTimeoutMS: 300 });
    const c = client.db('x').collection('c');
    await c.insertOne({ a: 1 });
    await server.stop();
    expect(server.isRunning).toBe(false);
    const down = await c.findOne({}).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(MongoServerSelectionError);
    await server.restart();
    expect(await c.countDocuments()).toBe(1);
  });

  it('replies MaxTimeMSExpired when the injected delay exceeds maxTimeMS', async () => {
    const { server, client } = await setup();
    const c = client.db('x').collection('c');
    await c.insertOne({ a: 1 });
    server.setCommandDelay(300);
    const started = Date.now();
    const error = (await c
      .find({})
      .maxTimeMS(50)
      .toArray()
      .catch((e: unknown) => e)) as MongoServerError;
    expect(error).toBeInstanceOf(MongoServerError);
    expect(error.code).toBe(50);
    expect(error.codeName).toBe('MaxTimeMSExpired');
    expect(Date.now() - started).toBeLessThan(290);
    // Without maxTimeMS the command is just slow.
    expect(await c.countDocuments()).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    server.setCommandDelay(0);
  });

  it('blackholes commands until the client times out', async () => {
    const { server, client } = await setup({ socketTimeoutMS: 200, retryReads: false });
    const c = client.db('x').collection('c');
    await c.insertOne({ a: 1 });
    server.setBlackhole(true, { commands: ['find'] });
    const error = await c.findOne({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoNetworkError);
    server.clearFaults();
    expect(await c.findOne({}, { projection: { _id: 0 } })).toEqual({ a: 1 });
  });

  it('injects errors through a command hook', async () => {
    const { server, client } = await setup({ retryWrites: false });
    server.setCommandHook(({ name }) =>
      name === 'insert'
        ? { error: { code: 13, codeName: 'Unauthorized', errmsg: 'not authorized' } }
        : undefined,
    );
    const error = (await client
      .db('x')
      .collection('c')
      .insertOne({})
      .catch((e: unknown) => e)) as MongoServerError;
    expect(error.code).toBe(13);
    expect(error.codeName).toBe('Unauthorized');
    server.setCommandHook(undefined);
    await client.db('x').collection('c').insertOne({});
  });

  it('dedupes a retryable write whose reply was lost', async () => {
    const { server, client } = await setup();
    let dropped = 0;
    server.setCommandHook(({ name }) =>
      name === 'insert' && dropped++ === 0 ? { dropReply: true } : undefined,
    );
    const result = await client.db('x').collection('c').insertOne({ a: 1 });
    expect(result.acknowledged).toBe(true);
    expect(dropped).toBe(2); // executed, reply lost, retried with the same txnNumber
    server.setCommandHook(undefined);
    expect(await client.db('x').collection('c').countDocuments()).toBe(1);
  });

  it('expireAfterRunning runs the command, then answers MaxTimeMSExpired: a lone updateMany stays applied, one in a transaction is aborted', async () => {
    const { server, client } = await setup();
    const c = client.db('x').collection('c');
    await c.insertMany([{ a: 1 }, { a: 1 }]);
    server.setCommandHook(({ name }) => (name === 'update' ? { expireAfterRunning: true } : undefined));
    const lone = await c.updateMany({}, { $set: { a: 2 } }).catch((e: unknown) => e);
    expect((lone as MongoServerError).code).toBe(50);
    expect(await c.countDocuments({ a: 2 })).toBe(2);
    const session = client.startSession();
    session.startTransaction();
    const inTransaction = await c.updateMany({}, { $set: { a: 3 } }, { session }).catch((e: unknown) => e);
    expect((inTransaction as MongoServerError).code).toBe(50);
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    server.setCommandHook(undefined);
    expect(await c.countDocuments({ a: 2 })).toBe(2);
  });

  it('expireAfterRunning on commitTransaction commits, then answers MaxTimeMSExpired (labelled UnknownTransactionCommitResult)', async () => {
    const { server, client } = await setup();
    const c = client.db('x').collection('c');
    const session = client.startSession();
    session.startTransaction();
    await c.insertOne({ a: 1 }, { session });
    server.setCommandHook(({ name }) =>
      name === 'commitTransaction' ? { expireAfterRunning: true } : undefined,
    );
    const error = (await session.commitTransaction().catch((e: unknown) => e)) as MongoServerError;
    server.setCommandHook(undefined);
    await session.endSession();
    expect(error.code).toBe(50);
    expect(error.hasErrorLabel('UnknownTransactionCommitResult')).toBe(true);
    expect(await c.countDocuments()).toBe(1);
  });

  it('reset drops all data', async () => {
    const { server, client } = await setup();
    await client.db('x').collection('c').insertOne({ a: 1 });
    server.reset();
    expect(await client.db('x').collection('c').countDocuments()).toBe(0);
    expect((await client.db('admin').admin().listDatabases()).databases).toEqual([]);
  });
});
