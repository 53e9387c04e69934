import {
  connect,
  ConnectionLostError,
  defineEntity,
  field,
  StatementTimeoutError,
  TransactionConflictError,
  UniqueViolationError,
  ValidationError,
  ADAPTER_PACKAGES,
} from '@berth/core';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import * as postgres from '../src/index.js';
import { PostgresConnection } from '../src/postgres-connection.js';
import { PostgresDriver } from '../src/postgres-driver.js';
import { rawQuery, TEST_URL } from './support/server.js';
import {
  closeTestDatabases,
  eventually,
  expectAtRest,
  openTestDatabase,
  uniqueApplicationName,
} from './support/test-database.js';

const Note = defineEntity('pg_driver_notes', {
  id: field.id(),
  slug: field.string({ max: 50 }).unique(),
  body: field.string({ max: 200 }),
  hits: field.integer(),
  version: field.version(),
});

afterEach(closeTestDatabases);

describe('adapter', () => {
  it('serves both schemes and builds a driver from the URL and options', () => {
    expect(postgres.adapter.backend).toBe('postgres');
    expect(
      Object.keys(ADAPTER_PACKAGES).filter((s) => ADAPTER_PACKAGES[s]?.package === '@berth/postgres'),
    ).toEqual([...postgres.POSTGRES_SCHEMES]);
    const driver = postgres.adapter.createDriver(`${TEST_URL}?sslmode=disable`, { max: 4, min: 1 });
    expect(driver).toBeInstanceOf(PostgresDriver);
    expect(driver).toMatchObject({ backend: 'postgres', max: 4, min: 1 });
  });

  it('rejects other URLs and impossible options at once', () => {
    expect(() => new PostgresDriver({ url: 'mysql://localhost/x' })).toThrow(ValidationError);
    expect(() => new PostgresDriver({ url: 'not a url' })).toThrow(ValidationError);
    expect(() => new PostgresDriver({ url: TEST_URL, max: 0 })).toThrow(ValidationError);
    expect(() => new PostgresDriver({ url: TEST_URL, max: 2, min: 3 })).toThrow(ValidationError);
    expect(() => new PostgresDriver({ url: TEST_URL, acquireTimeoutMs: 2 ** 31 })).toThrow(
      /^acquireTimeoutMs /,
    );
    // A pool handed in still has its durations checked.
    expect(() => new PostgresDriver({ pool: new pg.Pool(), statementTimeoutMs: 2 ** 31 })).toThrow(
      ValidationError,
    );
    expect(
      () => new PostgresDriver({ url: TEST_URL, preparedStatements: true, preparedStatementCacheSize: 0 }),
    ).toThrow(RangeError);
  });
});

describe.skipIf(!inject('postgresAvailable'))('PostgresDriver on PostgreSQL', () => {
  it('opens through connect() with a postgresql:// URL and reports application_name', async () => {
    const applicationName = uniqueApplicationName('connect');
    const url = `${TEST_URL.replace(/^postgres:/, 'postgresql:')}?sslmode=disable&application_name=${applicationName}`;
    const db = await connect(url, { pool: { max: 2 }, importAdapter: async () => postgres });
    try {
      await db.ping();
      const rows = await rawQuery(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      expect(rows[0]?.n).toBe(1);
      expect(db.pool.stats()).toMatchObject({ max: 2, total: 1, idle: 1, inUse: 0 });
    } finally {
      await db.close();
    }
  });

  it('names its sessions "berth" by default, with the backend pid as connection id', async () => {
    const driver = new PostgresDriver({ url: TEST_URL, max: 1 });
    const { Database } = await import('@berth/core');
    const db = await Database.open(driver);
    const ids: string[] = [];
    db.pool.on('acquire', (event) => ids.push(event.connectionId));
    try {
      await db.ping();
      const rows = await rawQuery('SELECT application_name FROM pg_stat_activity WHERE pid = $1', [
        Number(ids[0]),
      ]);
      expect(rows).toEqual([{ application_name: 'berth' }]);
    } finally {
      await db.close();
    }
  });

  it('reuses one connection object per backend and reports create and destroy with pids', async () => {
    const created: string[] = [];
    const destroyed: Array<[string, string]> = [];
    const handle = await openTestDatabase({ label: 'events', driver: { max: 2 } });
    handle.db.pool.on('create', (e) => created.push(e.connectionId));
    handle.db.pool.on('destroy', (e) => destroyed.push([e.connectionId, e.reason]));
    const first = await handle.db.pool.acquire();
    await handle.db.pool.release(first);
    const second = await handle.db.pool.acquire();
    expect(second.connection).toBe(first.connection);
    expect(second.connection).toBeInstanceOf(PostgresConnection);
    await handle.db.pool.release(second, true);
    expect(created).toEqual([first.connection.id]);
    await eventually(() => expect(destroyed).toEqual([[first.connection.id, 'destroyed']]));
    expect(await handle.serverPids()).toEqual([]);
  });

  it('round-trips rows and maps unique violations to the entity fields', async () => {
    const handle = await openTestDatabase({ label: 'crud', entities: [Note] });
    await handle.db.ensureSchema();
    const notes = handle.db.repository(Note);
    const note = await notes.insert({ slug: 'a', body: 'x', hits: 2 ** 40 });
    expect(await notes.getById(note.id)).toEqual(note);
    const error = await notes.insert({ slug: 'a', body: 'y', hits: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(error).toMatchObject({ entity: 'pg_driver_notes', fields: ['slug'] });
    await expectAtRest(handle);
  });

  it('maps serialization failures and deadlocks to TransactionConflictError', async () => {
    const handle = await openTestDatabase({ label: 'conflict', entities: [Note], driver: { max: 2 } });
    await handle.db.ensureSchema();
    const notes = handle.db.repository(Note);
    const [a, b] = await notes.insertMany([
      { slug: 'd1', body: '', hits: 0 },
      { slug: 'd2', body: '', hits: 0 },
    ]);
    // Two transactions lock the same two rows in opposite orders: PostgreSQL aborts one of them.
    let arrived = 0;
    let bothHoldOne: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      bothHoldOne = resolve;
    });
    const cross = (first: string, second: string) =>
      handle.db.transaction(async (tx) => {
        await tx.repository(Note).update(first, { body: 'locked' });
        if (++arrived === 2) bothHoldOne();
        await gate;
        await tx.repository(Note).update(second, { body: 'locked' });
      });
    const results = await Promise.allSettled([cross(a!.id, b!.id), cross(b!.id, a!.id)]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.reason).toBeInstanceOf(TransactionConflictError);
    expect((failures[0]!.reason as { cause: { code: string } }).cause.code).toBe('40P01');
    await expectAtRest(handle);
  });

  it('maps serialization failures (40001) to TransactionConflictError, with URL options passed through to pg', async () => {
    // `options` in the URL reaches the server as startup options: every transaction is REPEATABLE READ.
    const options = encodeURIComponent('-c default_transaction_isolation=repeatable\\ read');
    const handle = await openTestDatabase({
      label: 'serialize',
      entities: [Note],
      driver: { url: `${TEST_URL}?options=${options}`, max: 2 },
    });
    await handle.db.ensureSchema();
    const notes = handle.db.repository(Note);
    const note = await notes.insert({ slug: `s-${Date.now()}`, body: '', hits: 0 });
    let readDone: () => void = () => undefined;
    const read = new Promise<void>((resolve) => {
      readDone = resolve;
    });
    let otherCommitted: () => void = () => undefined;
    const committed = new Promise<void>((resolve) => {
      otherCommitted = resolve;
    });
    const slow = handle.db.transaction(async (tx) => {
      await tx.repository(Note).findById(note.id);
      readDone();
      await committed;
      await tx.repository(Note).update(note.id, { body: 'slow' });
    });
    slow.catch(() => undefined);
    await read;
    await notes.update(note.id, { body: 'fast' });
    otherCommitted();
    const error = await slow.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionConflictError);
    expect((error as { cause: { code: string } }).cause.code).toBe('40001');
    expect((error as TransactionConflictError).retryable).toBe(true);
    await expectAtRest(handle);
  });

  it('ends slow statements at statementTimeoutMs with StatementTimeoutError, keeping the connection', async () => {
    const handle = await openTestDatabase({
      label: 'stmt',
      entities: [Note],
      driver: { max: 1, statementTimeoutMs: 200 },
    });
    await handle.db.ensureSchema();
    const locker = new pg.Client({ connectionString: TEST_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE pg_driver_notes IN ACCESS EXCLUSIVE MODE');
      const started = performance.now();
      const error = await handle.db
        .repository(Note)
        .count()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StatementTimeoutError);
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await locker.end();
    }
    await handle.db.repository(Note).count();
    expect(new Set(handle.acquired).size).toBe(1);
    await expectAtRest(handle);
  });

  it('rolls back a connection given back inside a transaction, and one in a failed transaction', async () => {
    const handle = await openTestDatabase({ label: 'dirty', entities: [Note], driver: { max: 1 } });
    await handle.db.ensureSchema();
    const { pool } = handle.db;
    // The core does not know about these transactions: the driver reads PostgreSQL's own status.
    let lease = await pool.acquire();
    await lease.connection.begin();
    await lease.connection.insert({
      entity: Note,
      rows: [{ id: 'dirty-1', slug: 'dirty-1', body: '', hits: 0, version: 1 }],
    });
    await pool.release(lease);
    expect(await handle.idleInTransaction()).toBe(0);
    lease = await pool.acquire();
    await lease.connection.begin();
    const missing = { ...Note, name: 'no_such_table' } as unknown as typeof Note;
    await expect(
      lease.connection.count({ entity: missing, where: { type: 'literal', value: true } }),
    ).rejects.toThrow();
    // pg reports the error before the server's ReadyForQuery that says the transaction failed.
    await eventually(() => expect((lease.connection as PostgresConnection).transactionStatus).toBe('failed'));
    await pool.release(lease);
    expect(handle.acquired[0]).toBe(handle.acquired[1]);
    expect(await handle.db.repository(Note).findById('dirty-1')).toBeNull();
    expect(new Set(handle.acquired).size).toBe(1);
    await expectAtRest(handle);
  });

  it('uses a pg.Pool handed in without ending it', async () => {
    const applicationName = uniqueApplicationName('own');
    const own = new pg.Pool({ connectionString: TEST_URL, max: 2, application_name: applicationName });
    try {
      const { Database } = await import('@berth/core');
      const db = await Database.open(new PostgresDriver({ pool: own }));
      expect(db.pool.stats().max).toBe(2);
      await db.ping();
      await db.close();
      expect(own.ending).toBe(false);
      const { rows } = await own.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await own.end();
    }
  });

  it('fails a statement on a lost connection with ConnectionLostError and never reuses it', async () => {
    const handle = await openTestDatabase({ label: 'lost', driver: { max: 1 } });
    const lease = await handle.db.pool.acquire();
    const { rawQuery: query } = await import('./support/server.js');
    await query('SELECT pg_terminate_backend($1::int)', [Number(lease.connection.id)]);
    await expect(lease.connection.ping()).rejects.toBeInstanceOf(ConnectionLostError);
    expect(lease.connection.broken).toBe(true);
    await handle.db.pool.release(lease);
    await handle.db.ping();
    expect(handle.acquired[1]).not.toBe(handle.acquired[0]);
    await expectAtRest(handle, { total: 1 });
  });
});
