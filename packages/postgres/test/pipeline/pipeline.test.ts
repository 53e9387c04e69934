import {
  ConnectionLostError,
  DatabaseError,
  defineEntity,
  field,
  PoolClosedError,
  PoolTimeoutError,
  StatementTimeoutError,
  ValidationError,
} from '@berth/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresDriver } from '../../src/postgres-driver.js';
import { rawQuery, TEST_URL } from '../support/server.js';
import {
  closeTestDatabases,
  eventually,
  expectAtRest,
  openTestDatabase,
  type TestDatabase,
  terminateBackend,
} from '../support/test-database.js';

const available = inject('postgresAvailable');

const fields = { id: field.id(), name: field.string({ max: 40 }) };
const Item = defineEntity('pg_pipe_items', fields);
/** A view over the items that sleeps 300 ms once per statement. */
const SlowItem = defineEntity('pg_pipe_slow_items', fields);
/** An entity whose table does not exist: every read of it fails on the server. */
const Missing = defineEntity('pg_pipe_missing', fields);

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

async function openPipelined(
  label: string,
  options: {
    max?: number;
    min?: number;
    depth?: number;
    fill?: 'spread' | 'pack';
    statementTimeoutMs?: number;
    acquireTimeoutMs?: number;
  } = {},
): Promise<TestDatabase> {
  return openTestDatabase({
    label,
    entities: [Item, SlowItem, Missing],
    driver: {
      max: options.max ?? 1,
      min: options.min ?? 0,
      pipeline: true,
      pipelineDepth: options.depth ?? 8,
      ...(options.fill ? { pipelineFill: options.fill } : {}),
      ...(options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
    },
    pool: { acquireTimeoutMs: options.acquireTimeoutMs ?? 10_000, validateAfterIdleMs: 60_000 },
  });
}

afterEach(closeTestDatabases);

describe('pipeline options', () => {
  it('refuses prepared statements, a pool handed in and a depth under 2', () => {
    expect(() => new PostgresDriver({ url: TEST_URL, pipeline: true, preparedStatements: true })).toThrow(
      ValidationError,
    );
    const pool = new pg.Pool({ connectionString: TEST_URL });
    expect(() => new PostgresDriver({ pool, pipeline: true })).toThrow(ValidationError);
    void pool.end();
    expect(() => new PostgresDriver({ url: TEST_URL, pipeline: true, pipelineDepth: 1 })).toThrow(RangeError);
    expect(() => new PostgresDriver({ url: TEST_URL, pipeline: true, pipelineDepth: 2.5 })).toThrow(
      RangeError,
    );
    expect(new PostgresDriver({ url: TEST_URL, pipeline: true }).pipelineDepth).toBe(8);
    expect(new PostgresDriver({ url: TEST_URL }).pipelineDepth).toBeUndefined();
    expect(
      () => new PostgresDriver({ url: TEST_URL, pipeline: true, pipelineFill: 'fill' as 'pack' }),
    ).toThrow(ValidationError);
  });
});

describe.skipIf(!available)('pipelining on PostgreSQL', () => {
  beforeAll(async () => {
    await rawQuery('DROP VIEW IF EXISTS pg_pipe_slow_items');
    await rawQuery('DROP TABLE IF EXISTS pg_pipe_items, pg_pipe_missing');
    await rawQuery('CREATE TABLE pg_pipe_items (id varchar(64) PRIMARY KEY, name varchar(40) NOT NULL)');
    await rawQuery(
      `INSERT INTO pg_pipe_items (id, name) SELECT x, 'item ' || x FROM unnest($1::text[]) AS x`,
      [IDS],
    );
    await rawQuery(
      'CREATE VIEW pg_pipe_slow_items AS SELECT i.* FROM pg_pipe_items i CROSS JOIN (SELECT pg_sleep(0.3)) AS s',
    );
  });
  afterAll(async () => {
    if (!available) return;
    await rawQuery('DROP VIEW IF EXISTS pg_pipe_slow_items');
    await rawQuery('DROP TABLE IF EXISTS pg_pipe_items');
  });

  it('reads of many callers share one connection, each answered with its own row', async () => {
    const handle = await openPipelined('share');
    const items = handle.db.repository(Item);
    const slow = handle.db.repository(SlowItem);
    const inFlight = IDS.map((id) => slow.findById(id));
    // All eight run on the one connection at once: one checkout, nobody waiting.
    await eventually(() => expect(handle.db.pool.stats()).toMatchObject({ inUse: 1, waiting: 0 }));
    const rows = await Promise.all(inFlight);
    expect(rows.map((row) => row?.name)).toEqual(IDS.map((id) => `item ${id}`));
    expect(handle.acquired).toHaveLength(1);
    const [count, page] = await Promise.all([items.count(), items.find({ orderBy: ['id'], limit: 3 })]);
    expect(count).toBe(IDS.length);
    expect(page.items.map((row) => row.id)).toEqual(['a', 'b', 'c']);
    await expectAtRest(handle, { total: 1 });
  });

  it("'spread' takes every free connection before sharing; 'pack' fills one connection first", async () => {
    for (const fill of ['spread', 'pack'] as const) {
      const handle = await openPipelined(fill, { max: 2, min: 2, depth: 4, fill });
      const slow = handle.db.repository(SlowItem);
      const inFlight = IDS.slice(0, 4).map((id) => slow.findById(id));
      const inUse = fill === 'spread' ? 2 : 1;
      await eventually(() => expect(handle.db.pool.stats()).toMatchObject({ inUse, waiting: 0 }));
      expect((await Promise.all(inFlight)).map((row) => row?.id)).toEqual(IDS.slice(0, 4));
      expect(handle.acquired).toHaveLength(inUse);
      await expectAtRest(handle, { total: 2 });
      await handle.close();
    }
  });

  it('beyond the depth, callers wait in the queue and are served in turn', async () => {
    const handle = await openPipelined('depth', { depth: 2 });
    const slow = handle.db.repository(SlowItem);
    const inFlight = IDS.slice(0, 5).map((id) => slow.findById(id));
    await eventually(() => expect(handle.db.pool.stats()).toMatchObject({ inUse: 1, waiting: 3 }));
    const rows = await Promise.all(inFlight);
    expect(rows.map((row) => row?.id)).toEqual(IDS.slice(0, 5));
    await expectAtRest(handle, { total: 1 });
  });

  it('a failing read between good ones fails alone; the connection stays in use', async () => {
    const handle = await openPipelined('isolated');
    const items = handle.db.repository(Item);
    const missing = handle.db.repository(Missing);
    const outcomes = await Promise.allSettled([
      items.findById('a'),
      missing.findById('a'),
      items.findById('b'),
      missing.count(),
      items.findById('c'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((outcomes[0] as PromiseFulfilledResult<{ name: string }>).value.name).toBe('item a');
    expect((outcomes[4] as PromiseFulfilledResult<{ name: string }>).value.name).toBe('item c');
    for (const failed of [outcomes[1], outcomes[3]] as PromiseRejectedResult[]) {
      expect(failed.reason).toBeInstanceOf(DatabaseError);
      expect(failed.reason).not.toBeInstanceOf(ConnectionLostError);
    }
    const pids = await handle.serverPids();
    expect(await items.findById('d')).toMatchObject({ name: 'item d' });
    expect(await handle.serverPids()).toEqual(pids);
    expect(handle.acquired).toHaveLength(2);
    await expectAtRest(handle, { total: 1 });
  });

  it('a read cancelled by the statement timeout fails alone; reads queued behind it are answered', async () => {
    const handle = await openPipelined('timeout', { statementTimeoutMs: 200 });
    const items = handle.db.repository(Item);
    const slow = handle.db.repository(SlowItem);
    // berth's client-side bound is the timeout + 20 ms. On a loaded machine the server may cancel later than
    // that; the bound then ends the socket and fails every read on it with ConnectionLostError (the other
    // documented path, tested below). Such a round says nothing about this case, so it is run again.
    let pids: string[] = [];
    let outcomes: PromiseSettledResult<unknown>[] = [];
    for (let round = 1; round <= 5; round++) {
      pids = await handle.serverPids();
      outcomes = await Promise.allSettled([
        slow.findById('a'),
        items.findById('b'),
        slow.findById('c'),
        items.findById('d'),
      ]);
      const first = outcomes[0]!.status === 'rejected' ? outcomes[0]!.reason : undefined;
      if (!(first instanceof ConnectionLostError)) break;
    }
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(StatementTimeoutError);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(StatementTimeoutError);
    expect((outcomes[3] as PromiseFulfilledResult<{ name: string }>).value.name).toBe('item d');
    // The same session served them all: a cancelled statement does not cost the connection.
    const after = await handle.serverPids();
    expect(after).toHaveLength(1);
    if (pids.length === 1) expect(after).toEqual(pids);
    await expectAtRest(handle, { total: 1 });
  });

  it('a backend killed with reads in flight fails every one with ConnectionLostError and leaks nothing', async () => {
    const handle = await openPipelined('killed');
    const slow = handle.db.repository(SlowItem);
    // Settled from the start: the reads fail while the kill's own round trip is still being answered.
    const settled = Promise.allSettled(IDS.slice(0, 4).map((id) => slow.findById(id)));
    await eventually(async () => expect(await handle.serverPids()).toHaveLength(1));
    const [pid] = await handle.serverPids();
    await terminateBackend(pid!);
    const outcomes = await settled;
    // The server runs them one after another (300 ms each): one may have been answered before the kill,
    // every one after it fails, and only with ConnectionLostError.
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.slice(-failed.length).every((o) => o.status === 'rejected')).toBe(true);
    for (const outcome of failed) expect(outcome.reason).toBeInstanceOf(ConnectionLostError);
    await expectAtRest(handle, { total: 0 });
    // The pool goes on with a new connection.
    expect(await handle.db.repository(Item).findById('a')).toMatchObject({ name: 'item a' });
    expect(await handle.serverPids()).not.toContain(pid);
  });

  it('close lets reads in flight finish, refuses new ones, and ends every connection', async () => {
    const handle = await openPipelined('close');
    const slow = handle.db.repository(SlowItem);
    const inFlight = IDS.slice(0, 4).map((id) => slow.findById(id));
    await eventually(() => expect(handle.db.pool.stats()).toMatchObject({ inUse: 1, waiting: 0 }));
    const closing = handle.db.close(5_000);
    await expect(handle.db.repository(Item).findById('a')).rejects.toBeInstanceOf(PoolClosedError);
    const rows = await Promise.all(inFlight);
    expect(rows.map((row) => row?.id)).toEqual(IDS.slice(0, 4));
    await closing;
    expect(handle.db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0, total: 0 });
    await eventually(async () => expect(await handle.serverConnections()).toBe(0));
  });

  it('keeps the acquire deadline for callers that find every connection full', async () => {
    // One connection kept open, so the first caller's 100 ms are not spent connecting on a loaded machine.
    const handle = await openPipelined('deadline', { min: 1, depth: 2, acquireTimeoutMs: 100 });
    const slow = handle.db.repository(SlowItem);
    const outcomes = await Promise.allSettled(IDS.slice(0, 3).map((id) => slow.findById(id)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(PoolTimeoutError);
    await expectAtRest(handle, { total: 1 });
  });

  it('a transaction waiting behind shared reads gets the connection; reads after it wait their turn', async () => {
    const handle = await openPipelined('fair');
    const items = handle.db.repository(Item);
    const slow = handle.db.repository(SlowItem);
    const order: string[] = [];
    const before = IDS.slice(0, 3).map((id) => slow.findById(id).then(() => order.push(`read ${id}`)));
    const transaction = handle.db
      .transaction(async (tx) => {
        order.push('transaction');
        return tx.repository(Item).count();
      })
      .then((count) => {
        order.push('committed');
        return count;
      });
    // A read arriving after the transaction queued does not join the shared connection ahead of it.
    const after = items.findById('h').then(() => order.push('read h'));
    await eventually(() => expect(handle.db.pool.stats()).toMatchObject({ inUse: 1, waiting: 2 }));
    await Promise.all([...before, transaction, after]);
    expect(await transaction).toBe(IDS.length);
    expect(order.indexOf('transaction')).toBeGreaterThan(order.indexOf('read c'));
    expect(order.indexOf('read h')).toBeGreaterThan(order.indexOf('transaction'));
    expect(await handle.idleInTransaction()).toBe(0);
    await expectAtRest(handle, { total: 1 });
  });

  it('a transaction beside shared reads runs on a connection of its own and sees its own writes', async () => {
    const handle = await openPipelined('tx', { max: 2 });
    const items = handle.db.repository(Item);
    const slow = handle.db.repository(SlowItem);
    const reads = IDS.slice(0, 3).map((id) => slow.findById(id));
    const seen = await handle.db.transaction(async (tx) => {
      const repo = tx.repository(Item);
      const row = await repo.insert({ name: 'in tx' });
      const inside = await repo.findById(row.id);
      await repo.delete(row.id);
      return { id: row.id, name: inside?.name };
    });
    expect(seen.name).toBe('in tx');
    await Promise.all(reads);
    expect(await items.findById(seen.id)).toBeNull();
    await expectAtRest(handle, { total: 2 });
  });
});
