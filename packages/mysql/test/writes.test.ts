import { Database, and } from '@berth/core';
import { Counter, Item } from '@berth/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { MysqlDriver } from '../src/mysql-driver.js';
import { parseMysqlUrl } from '../src/mysql-url.js';
import { TEST_URL, serverAvailable } from './support/test-server.js';

let keys = 0;
function item(fields: Record<string, unknown> = {}) {
  const n = `${process.pid % 10_000}-${++keys}`;
  return {
    sku: `my${n}`,
    barcode: `my${n}`,
    warehouse: 'w',
    bin: `my${n}`,
    name: 'n',
    stock: 5,
    price: 1,
    tag: null,
    level: null,
    ...fields,
  };
}

const open: Database[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((db) => db.close(1_000)));
});

async function database(): Promise<Database> {
  const db = await Database.open(new MysqlDriver({ ...parseMysqlUrl(TEST_URL), max: 1 }), {
    entities: [Item, Counter],
  });
  open.push(db);
  await db.ensureSchema();
  return db;
}

describe.skipIf(!serverAvailable())('writes on MariaDB', () => {
  it('modifyOne (an update by id) is an UPDATE and a read of the row in one transaction', async () => {
    const db = await database();
    const row = await db.repository(Item).insert(item({ stock: 4 }));
    const lease = await db.pool.acquire();
    try {
      const c = lease.connection;
      const where = and(
        { type: 'compare', field: 'id', op: 'eq', value: row.id },
        { type: 'compare', field: 'version', op: 'eq', value: 1 },
      );
      const base = { entity: Item, where, set: { name: 'm' }, stamp: {}, bump: 'version', changedOnly: true };
      const written = await c.modifyOne({
        ...base,
        operations: [{ field: 'stock', op: 'increment', by: -4, min: 0 }],
      });
      expect(written).toMatchObject({ id: row.id, name: 'm', stock: 0, version: 2 });
      // Now version 2: the same command matches nothing; out of bounds matches nothing either.
      expect(await c.modifyOne({ ...base, operations: [] })).toBeUndefined();
      const fresh = {
        ...base,
        where: { type: 'compare' as const, field: 'id', op: 'eq' as const, value: row.id },
      };
      expect(
        await c.modifyOne({
          ...fresh,
          set: {},
          operations: [{ field: 'stock', op: 'increment', by: -1, min: 0 }],
        }),
      ).toBeUndefined();
      // Unchanged under changedOnly: nothing written.
      expect(await c.modifyOne({ ...fresh, operations: [] })).toBeUndefined();
    } finally {
      await db.pool.release(lease);
    }
    expect(await db.repository(Item).findById(row.id)).toMatchObject({ stock: 0, version: 2, name: 'm' });
  });

  it('a bounded updateMany is a locking read and an UPDATE in one transaction; refused, it leaves every row as it was', async () => {
    const db = await database();
    const items = db.repository(Item);
    const tag = `t${++keys}`;
    await items.insert(item({ tag, stock: 1 }));
    await items.insert(item({ tag, stock: 0 }));
    await expect(items.updateMany({ tag }, { stock: { decrement: 1 } })).rejects.toMatchObject({
      code: 'OUT_OF_BOUNDS',
      rows: 1,
    });
    expect(
      (await items.find({ where: { tag }, orderBy: 'stock' })).items.map((r) => [r.stock, r.version]),
    ).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(await items.updateMany({ tag }, { stock: { increment: 1 } })).toBe(2);
  });
});
