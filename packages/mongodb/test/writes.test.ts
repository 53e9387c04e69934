import { OptimisticLockError, TransactionsUnsupportedError, UniqueViolationError } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { Counter, Item } from '@berth/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useDatabases } from './support/open-database.js';
import { TEST_DATABASE, startServer } from './support/test-server.js';

/** Commands that are not the write itself: monitoring, and ending sessions. */
const BACKGROUND = new Set(['hello', 'ismaster', 'endSessions']);

let keys = 0;
function item(fields: Record<string, unknown> = {}) {
  const n = ++keys;
  return {
    sku: `s${n}`,
    barcode: `b${n}`,
    warehouse: 'w',
    bin: `bin${n}`,
    name: 'n',
    stock: 5,
    price: 1,
    tag: null,
    level: null,
    ...fields,
  };
}

describe('writes on the MongoDB test server', () => {
  let server: MongoTestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => server.clearFaults());
  const open = useDatabases(() => server);
  const record = (): string[] => {
    const names: string[] = [];
    server.setCommandHook(({ name }) => {
      if (!BACKGROUND.has(name)) names.push(name);
      return undefined;
    });
    return names;
  };

  it('a versioned update is one findAndModify on success; a mismatch reads the row once to name the version', async () => {
    const { db } = await open([Item, Counter]);
    const items = db.repository(Item);
    const row = await items.insert(item());
    const sent = record();
    expect(
      (await items.update(row.id, { name: 'v2', stock: { increment: 1 } }, { expectedVersion: 1 })).version,
    ).toBe(2);
    expect(sent).toEqual(['findAndModify']);
    sent.length = 0;
    const error = await items.update(row.id, { name: 'x' }, { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimisticLockError);
    expect((error as Error).message).toContain('expected version 1, found 2');
    expect(sent).toEqual(['findAndModify', 'find']);
  });

  it('an upsert that loses the race for a new key (duplicate key on the key) is tried again and changes the winner', async () => {
    const { db } = await open([Item, Counter]);
    const items = db.repository(Item);
    const winner = await items.insert(item({ sku: 'raced' }));
    let injected = false;
    server.setCommandHook(({ name }) => {
      if (name !== 'findAndModify' || injected) return undefined;
      injected = true;
      // What a concurrent upsert's insert of the same key makes the server answer.
      return {
        error: {
          code: 11000,
          codeName: 'DuplicateKey',
          errmsg: `E11000 duplicate key error collection: ${TEST_DATABASE}.${Item.name} index: ${Item.name}_sku_key dup key: { sku: "raced" }`,
        },
      };
    });
    const result = await items.upsert({
      where: { sku: 'raced' },
      create: item({ sku: 'raced' }),
      update: {},
    });
    expect(injected).toBe(true);
    expect(result).toMatchObject({ created: false, row: { id: winner.id, version: 2 } });
  });

  it('a duplicate on another unique index is not retried', async () => {
    const { db } = await open([Item, Counter]);
    const items = db.repository(Item);
    await items.insert(item({ barcode: 'held' }));
    const sent = record();
    const error = await items
      .upsert({ where: { sku: 'fresh' }, create: item({ sku: 'fresh', barcode: 'held' }), update: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(sent.filter((name) => name === 'findAndModify')).toHaveLength(1);
  });
});

describe('writes on a standalone MongoDB test server (no transactions)', () => {
  let server: MongoTestServer;
  beforeAll(async () => {
    server = await startServer({ standalone: true });
  });
  afterAll(async () => {
    await server.stop();
  });
  const open = useDatabases(() => server);

  it('refuses a bounded updateMany and a multi-row upsertMany with TransactionsUnsupportedError, writing nothing; the rest works', async () => {
    const { db } = await open([Item, Counter]);
    const items = db.repository(Item);
    const row = await items.insert(item({ stock: 3 }));
    await expect(items.updateMany({}, { stock: { decrement: 1 } })).rejects.toBeInstanceOf(
      TransactionsUnsupportedError,
    );
    await expect(items.upsertMany([item(), item()], { on: 'sku' })).rejects.toBeInstanceOf(
      TransactionsUnsupportedError,
    );
    expect(server.documents(TEST_DATABASE, Item.name)).toHaveLength(1);
    // Unbounded set-based writes, single-row operators and single upserts need no transaction.
    expect(await items.updateMany({}, { name: 'all' })).toBe(1);
    const counter = await db.repository(Counter).insert({ name: 'c', hits: 0, score: 1.5 });
    expect(await db.repository(Counter).updateMany({}, { score: { multiply: 2 } })).toBe(1);
    expect(await db.repository(Counter).findById(counter.id)).toMatchObject({ score: 3 });
    expect(await items.update(row.id, { stock: { decrement: 3 } })).toMatchObject({
      stock: 0,
      name: 'all',
      version: 3,
    });
    expect(
      (await items.upsert({ where: { sku: row.sku }, create: item({ sku: row.sku }), update: { name: 'u' } }))
        .created,
    ).toBe(false);
    expect(await items.deleteMany({ name: 'u' })).toBe(1);
  });
});
