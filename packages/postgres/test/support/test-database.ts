import { Database, type Entity, type PoolOptions, type PoolStats } from '@berth/core';
import { expect } from 'vitest';
import { PostgresDriver } from '../../src/postgres-driver.js';
import type { PostgresDriverConfig } from '../../src/postgres-driver-config.js';
import { rawQuery, TEST_URL } from './server.js';

let opened = 0;

/** A name no other pool uses, so the server's view of this pool can be counted in `pg_stat_activity`. */
export function uniqueApplicationName(label: string): string {
  return `berth_test_${process.pid}_${label}_${++opened}`;
}

/** A database on the test server, with the server-side truth about its pool. */
export interface TestDatabase {
  readonly db: Database;
  readonly driver: PostgresDriver;
  readonly applicationName: string;
  /** Backend pids the pool handed out, in order (from `acquire` events). */
  readonly acquired: string[];
  /** Errors the pool reported outside any caller's operation (`error` events). */
  readonly errors: Error[];
  /** Connections the server sees from this pool. */
  serverConnections(): Promise<number>;
  /** Of those, sessions left idle in a transaction. */
  idleInTransaction(): Promise<number>;
  /** The backend pids the server sees from this pool. */
  serverPids(): Promise<string[]>;
  close(): Promise<void>;
}

const open = new Set<TestDatabase>();

/**
 * Opens berth on the test database with a small pool of its own (max 3 unless told). Closed by
 * `closeTestDatabases()`, which every test file calls after each test.
 */
export async function openTestDatabase(
  options: {
    label?: string;
    driver?: Partial<PostgresDriverConfig>;
    pool?: PoolOptions;
    entities?: Entity[];
  } = {},
): Promise<TestDatabase> {
  const applicationName = uniqueApplicationName(options.label ?? 'db');
  const driver = new PostgresDriver({ url: TEST_URL, max: 3, applicationName, ...options.driver });
  const db = await Database.open(driver, { entities: options.entities ?? [], pool: options.pool });
  const acquired: string[] = [];
  const errors: Error[] = [];
  db.pool.on('acquire', (event) => acquired.push(event.connectionId));
  db.pool.on('error', (event) => errors.push(event.error));
  const handle: TestDatabase = {
    db,
    driver,
    applicationName,
    acquired,
    errors,
    serverConnections: async () => (await serverPids(applicationName)).length,
    idleInTransaction: async () =>
      Number(
        (
          await rawQuery<{ count: string }>(
            `SELECT count(*) AS count FROM pg_stat_activity WHERE application_name = $1 AND state LIKE 'idle in transaction%'`,
            [applicationName],
          )
        )[0]?.count ?? 0,
      ),
    serverPids: () => serverPids(applicationName),
    close: async () => {
      open.delete(handle);
      await db.close(1_000);
    },
  };
  open.add(handle);
  return handle;
}

async function serverPids(applicationName: string): Promise<string[]> {
  const rows = await rawQuery<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid',
    [applicationName],
  );
  return rows.map((row) => String(row.pid));
}

export async function closeTestDatabases(): Promise<void> {
  await Promise.allSettled([...open].map((handle) => handle.close()));
}

/** Ends a backend from outside, as an operator or a failover would. */
export async function terminateBackend(pid: string): Promise<void> {
  await rawQuery('SELECT pg_terminate_backend($1::int)', [Number(pid)]);
}

/**
 * Polls `check` until it holds, failing after `timeoutMs`: for server-side counters that settle a moment
 * after the client is done, never to wait for the code under test.
 */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 3_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * The pool at rest, checked against the server: nothing in use or waiting, the server sees exactly
 * `stats().total` connections from it, and none is idle in a transaction.
 */
export async function expectAtRest(handle: TestDatabase, expected: Partial<PoolStats> = {}): Promise<void> {
  await eventually(async () => {
    const stats = handle.db.pool.stats();
    expect(stats).toMatchObject({ inUse: 0, waiting: 0, ...expected });
    expect(await handle.serverConnections()).toBe(stats.total);
    expect(await handle.idleInTransaction()).toBe(0);
  });
}
