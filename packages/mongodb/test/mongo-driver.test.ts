import { ADAPTER_PACKAGES, ValidationError, connect, defineEntity, field } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoDriver, adapter } from '../src/index.js';
import { useDatabases } from './support/open-database.js';
import { TEST_DATABASE, databaseUrl, startServer } from './support/test-server.js';

const Item = defineEntity('driver_items', {
  id: field.id(),
  name: field.string(),
  count: field.integer(),
  code: field.string().unique().nullable(),
  data: field.json().nullable(),
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
});
const open = useDatabases(() => server);

describe('MongoDriver', () => {
  it('detects transactions on a replica-set primary, through directConnection and replica-set discovery', async () => {
    const direct = await open([Item]);
    expect(direct.db.capabilities).toEqual({
      multipleConnections: true,
      transactions: true,
      savepoints: false,
      returning: true,
    });
    const url = server.replicaSetUrl.replace('/?', `/${TEST_DATABASE}?`);
    const discovered = await connect(url, { importAdapter: async () => ({ adapter }) });
    try {
      expect(discovered.capabilities.transactions).toBe(true);
      await discovered.ping();
    } finally {
      await discovered.close();
    }
  });

  it('refuses a URL without a database, or with another scheme, with ValidationError', () => {
    expect(() => new MongoDriver(server.url)).toThrow(ValidationError);
    expect(() => new MongoDriver('postgres://localhost/db')).toThrow(ValidationError);
    expect(new MongoDriver(server.url, { database: 'named' }).database).toBe('named');
    expect(adapter.backend).toBe('mongodb');
    expect(
      Object.keys(ADAPTER_PACKAGES).filter((s) => ADAPTER_PACKAGES[s]?.package === '@berth/mongodb'),
    ).toEqual(['mongodb', 'mongodb+srv']);
  });

  it('counts logical connections in nativeStats and sockets in physicalStats; one session each on the server', async () => {
    // Sessions of databases closed by earlier tests are ended without waiting for the reply.
    await expect.poll(() => server.sessionCount).toBe(0);
    const { db, driver } = await open([Item], { max: 3 });
    const leases = [await db.pool.acquire(), await db.pool.acquire(), await db.pool.acquire()];
    expect(driver.nativeStats()).toEqual({ total: 3, idle: 0 });
    expect(server.sessionCount).toBe(3);
    for (const lease of leases) await db.pool.release(lease);
    expect(driver.nativeStats()).toEqual({ total: 3, idle: 3 });
    const physical = driver.physicalStats();
    expect(physical.total).toBeGreaterThanOrEqual(1);
    expect(physical.total).toBeLessThanOrEqual(3);
    expect(physical.checkedOut).toBe(0);
    await db.close();
    expect(driver.nativeStats()).toEqual({ total: 0, idle: 0 });
    expect(driver.physicalStats().total).toBe(0);
    await expect.poll(() => server.sessionCount).toBe(0);
  });

  it('sends every command on the connection session, with maxTimeMS when statementTimeoutMs is set', async () => {
    const { db } = await open([Item], { statementTimeoutMs: 5_000 });
    const seen: Array<{ name: string; lsid: boolean; maxTimeMS: unknown }> = [];
    server.setCommandHook(({ name, command }) => {
      if (name !== 'hello' && name !== 'isMaster' && name !== 'endSessions') {
        seen.push({ name, lsid: command.lsid !== undefined, maxTimeMS: command.maxTimeMS });
      }
      return undefined;
    });
    const repo = db.repository(Item);
    const row = await repo.insert({ name: 'a', count: 1 });
    await repo.update(row.id, { count: 2 });
    await repo.count();
    await repo.insertMany([
      { name: 'b', count: 1 },
      { name: 'c', count: 1 },
    ]);
    await repo.delete(row.id);
    server.setCommandHook(undefined);
    expect(seen.every((c) => c.lsid)).toBe(true);
    const crud = seen.filter((c) =>
      ['find', 'insert', 'update', 'findAndModify', 'delete', 'aggregate'].includes(c.name),
    );
    // insert, update (one findAndModify), count (aggregate), insertMany (insert), delete.
    expect(crud.length).toBeGreaterThanOrEqual(5);
    expect(crud.every((c) => c.maxTimeMS === 5_000)).toBe(true);
    expect(seen.some((c) => c.name === 'commitTransaction')).toBe(true);
  });

  it('stores integers exactly, large safe integers included, and filters on them', async () => {
    const { db } = await open([Item]);
    const repo = db.repository(Item);
    for (const count of [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31) - 1, 0]) {
      const row = await repo.insert({ name: 'big', count });
      expect((await repo.getById(row.id)).count).toBe(count);
      expect((await repo.find({ where: { count } })).items.map((r) => r.id)).toEqual([row.id]);
      const stored = server.documents(TEST_DATABASE, Item.name).find((d) => d._id === row.id);
      expect(stored?.count).toBe(count);
    }
  });

  it('a unique nullable field accepts many nulls (as SQL does) but no duplicate value', async () => {
    const { db } = await open([Item]);
    const repo = db.repository(Item);
    await repo.insert({ name: 'n1', count: 1 });
    await repo.insert({ name: 'n2', count: 1, code: null });
    await repo.insert({ name: 'c1', count: 1, code: 'same' });
    await expect(repo.insert({ name: 'c2', count: 1, code: 'same' })).rejects.toMatchObject({
      code: 'UNIQUE_VIOLATION',
      fields: ['code'],
    });
  });

  it('ensureSchema creates the collection and named indexes, idempotently', async () => {
    const { db } = await open([Item]);
    await db.ensureSchema();
    await Promise.all([db.ensureSchema(), db.ensureSchema()]);
    const client = new MongoClient(databaseUrl(server));
    try {
      const collections = await client.db(TEST_DATABASE).listCollections({ name: Item.name }).toArray();
      expect(collections).toHaveLength(1);
      const indexes = await client.db(TEST_DATABASE).collection(Item.name).listIndexes().toArray();
      const code = indexes.find((i) => i.name === 'driver_items_code_key');
      expect(code).toMatchObject({
        key: { code: 1 },
        unique: true,
        partialFilterExpression: { code: { $type: 'string' } },
      });
    } finally {
      await client.close();
    }
  });

  it('stores JSON keys such as __proto__ as data, without touching prototypes', async () => {
    const { db } = await open([Item]);
    const data = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}, "": [1]}');
    const row = await db.repository(Item).insert({ name: 'json', count: 1, data });
    const read = await db.repository(Item).getById(row.id);
    expect(Object.hasOwn(read.data as object, '__proto__')).toBe(true);
    expect(JSON.stringify(read.data)).toBe(JSON.stringify(data));
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(read.data)).toBe(Object.prototype);
  });

  it('close() ends the sessions and closes every socket', async () => {
    await expect.poll(() => server.connectionCount).toBe(0);
    const { db } = await open([Item], { max: 2 });
    await Promise.all([db.repository(Item).count(), db.repository(Item).count()]);
    expect(server.connectionCount).toBeGreaterThan(0);
    await db.close();
    await expect.poll(() => server.connectionCount).toBe(0);
  });
});
