import { ConnectionLostError, defineEntity, field } from '@berth/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawQuery, TEST_URL } from '../support/server.js';
import {
  closeTestDatabases,
  eventually,
  expectAtRest,
  openTestDatabase,
  terminateBackend,
} from '../support/test-database.js';

const Order = defineEntity('pg_fault_orders', {
  id: field.id(),
  ref: field.string({ max: 40 }),
  version: field.version(),
});
const OrderLine = defineEntity('pg_fault_order_lines', {
  id: field.id(),
  orderRef: field.string({ max: 40 }),
  qty: field.integer(),
});

const available = inject('postgresAvailable');

/** A foreign session holding a table lock, as a migration or a long report would. */
async function lockTable(table: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_URL, application_name: 'berth_test_locker' });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return client;
}

/** Waits until the backend `pid` is blocked waiting for a lock. */
async function waitUntilBlocked(pid: string): Promise<void> {
  await eventually(async () => {
    const rows = await rawQuery('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [Number(pid)]);
    expect(rows[0]?.wait_event_type).toBe('Lock');
  });
}

afterEach(closeTestDatabases);

describe.skipIf(!available)('a connection terminated while in use', () => {
  beforeAll(async () => {
    const handle = await openTestDatabase({ label: 'in-use-schema', entities: [Order, OrderLine] });
    await handle.db.ensureSchema();
    await handle.close();
  });
  afterAll(async () => {
    if (available) await rawQuery('DROP TABLE IF EXISTS pg_fault_orders, pg_fault_order_lines');
  });

  it('between statements of a transaction: the next statement fails with ConnectionLostError, nothing is committed', async () => {
    const handle = await openTestDatabase({ label: 'in-tx', driver: { max: 1 } });
    const ref = `tx-${Date.now()}`;
    const error = await handle.db
      .transaction(async (tx) => {
        await tx.repository(Order).insert({ ref });
        await terminateBackend(handle.acquired[0]!);
        await tx.repository(Order).insert({ ref });
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(await rawQuery('SELECT * FROM pg_fault_orders WHERE ref = $1', [ref])).toEqual([]);

    await handle.db.repository(Order).count();
    expect(handle.acquired).toHaveLength(2);
    expect(handle.acquired[1]).not.toBe(handle.acquired[0]);
    await expectAtRest(handle, { total: 1 });
  });

  it('during a statement: it fails with ConnectionLostError and the connection is destroyed', async () => {
    const handle = await openTestDatabase({ label: 'in-stmt', driver: { max: 1 } });
    const destroyed: string[] = [];
    handle.db.pool.on('release', (event) => {
      if (event.destroyed) destroyed.push(event.connectionId);
    });
    const locker = await lockTable('pg_fault_orders');
    try {
      const counting = handle.db.repository(Order).count();
      counting.catch(() => undefined);
      await eventually(() => expect(handle.acquired).toHaveLength(1));
      await waitUntilBlocked(handle.acquired[0]!);
      await terminateBackend(handle.acquired[0]!);
      await expect(counting).rejects.toBeInstanceOf(ConnectionLostError);
    } finally {
      await locker.end();
    }
    expect(destroyed).toEqual([handle.acquired[0]]);
    await handle.db.repository(Order).count();
    expect(handle.acquired[1]).not.toBe(handle.acquired[0]);
    await expectAtRest(handle, { total: 1 });
  });

  it('mid-flush: the unit of work fails with ConnectionLostError and writes nothing', async () => {
    const handle = await openTestDatabase({ label: 'flush', driver: { max: 2 } });
    const ref = `flush-${Date.now()}`;
    const uow = handle.db.unitOfWork();
    uow.persist(Order, { ref });
    uow.persist(Order, { ref });
    for (let qty = 1; qty <= 3; qty++) uow.persist(OrderLine, { orderRef: ref, qty });

    // The orders are inserted; the flush then blocks on the lines' table, and its connection is killed.
    const locker = await lockTable('pg_fault_order_lines');
    try {
      const flushing = uow.flush();
      flushing.catch(() => undefined);
      await eventually(() => expect(handle.acquired).toHaveLength(1));
      await waitUntilBlocked(handle.acquired[0]!);
      await terminateBackend(handle.acquired[0]!);
      await expect(flushing).rejects.toBeInstanceOf(ConnectionLostError);
    } finally {
      await locker.end();
    }
    // Seen from a separate client: nothing of the flush.
    expect(await rawQuery('SELECT id FROM pg_fault_orders WHERE ref = $1', [ref])).toEqual([]);
    expect(await rawQuery('SELECT id FROM pg_fault_order_lines WHERE "orderRef" = $1', [ref])).toEqual([]);

    // The unit of work kept its changes: once the database is back, the same flush writes everything.
    expect(await uow.flush()).toEqual({ inserted: 5, updated: 0, deleted: 0 });
    expect(await rawQuery('SELECT id FROM pg_fault_orders WHERE ref = $1', [ref])).toHaveLength(2);
    expect(handle.acquired[1]).not.toBe(handle.acquired[0]);
    await expectAtRest(handle);
  });
});
