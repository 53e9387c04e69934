import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  ADAPTER_PACKAGES,
  ConnectionLostError,
  type Condition,
  type DriverConnection,
  ValidationError,
} from '@berth/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PGliteConnection, PGliteDriver, adapter } from '../src/index.js';
import { Employee, employee, recordingHooks } from './support.js';

const all: Condition = { type: 'literal', value: true };
const byId = [{ field: 'id', direction: 'asc' }] as const;

/** Runs raw SQL through the connection's protected primitive. */
function raw(connection: DriverConnection, sql: string) {
  return (
    connection as unknown as {
      execute(sql: string, p: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
    }
  ).execute(sql, []);
}

describe('PGliteDriver', () => {
  let driver: PGliteDriver;
  const hooks = recordingHooks();

  beforeAll(async () => {
    driver = new PGliteDriver({ statementTimeoutMs: 100 });
    expect(driver.nativeStats()).toEqual({ total: 0, idle: 0 });
    await driver.open(hooks);
  });

  afterAll(() => driver.close());

  it('describes a single-connection backend', () => {
    expect(driver.backend).toBe('pglite');
    expect(driver.max).toBe(1);
    expect(driver.capabilities).toEqual({
      multipleConnections: false,
      transactions: true,
      savepoints: true,
      returning: true,
      lockingReads: true,
      foreignKeys: true,
      relationSubqueries: true,
      generatedIds: true,
    });
    expect(hooks.events).toEqual(['create pglite-1']);
  });

  it('boots with a 16 MB buffer cache (128 MB is most of a boot), keeping the statement timeout', async () => {
    const connection = await driver.acquire();
    try {
      const { rows } = await raw(
        connection,
        "SELECT current_setting('shared_buffers') AS b, current_setting('search_path') AS p",
      );
      expect(rows).toEqual([{ b: '16MB', p: 'public' }]);
    } finally {
      await driver.release(connection, false);
    }
  });

  it('hands out the same connection and counts it', async () => {
    expect(driver.nativeStats()).toEqual({ total: 1, idle: 1 });
    const first = await driver.acquire();
    expect(first).toBeInstanceOf(PGliteConnection);
    expect(first.id).toBe('pglite-1');
    expect(driver.nativeStats()).toEqual({ total: 1, idle: 0 });
    await first.ping();
    await driver.release(first, false);
    expect(driver.nativeStats()).toEqual({ total: 1, idle: 1 });
    const second = await driver.acquire();
    expect(second).toBe(first);
    await driver.release(second, false);
  });

  it('makes a second acquire wait for the release', async () => {
    const first = await driver.acquire();
    let granted = false;
    const second = driver.acquire().then((c) => {
      granted = true;
      return c;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(granted).toBe(false);
    await driver.release(first, false);
    const connection = await second;
    expect(granted).toBe(true);
    await driver.release(connection, false);
  });

  it('ignores a second release and a foreign connection', async () => {
    const connection = await driver.acquire();
    await driver.release(connection, false);
    await driver.release(connection, false);
    await driver.release({} as DriverConnection, true);
    expect(driver.nativeStats()).toEqual({ total: 1, idle: 1 });
    await driver.release(await driver.acquire(), false);
  });

  it('rolls back and keeps the instance when asked to destroy the connection', async () => {
    const connection = await driver.acquire();
    await connection.ensureSchema([Employee]);
    await connection.delete({ entity: Employee, where: all });
    await connection.insert({ entity: Employee, rows: [employee(1)] });
    await connection.begin();
    await connection.insert({ entity: Employee, rows: [employee(2)] });
    await driver.release(connection, true);
    expect(hooks.events).toEqual(['create pglite-1']);

    const again = await driver.acquire();
    expect(again.broken).toBe(false);
    const rows = await again.find({ entity: Employee, where: all, orderBy: byId });
    expect(rows.map((r) => r.id)).toEqual([employee(1).id]);
    // Outside a transaction the rollback is harmless.
    await driver.release(again, true);
    await driver.release(await driver.acquire(), false);
  });

  it('sets statement_timeout, which PGlite does not enforce', async () => {
    const connection = await driver.acquire();
    try {
      const { rows } = await raw(connection, 'SHOW statement_timeout');
      expect(rows[0]).toEqual({ statement_timeout: '100ms' });
      // PGlite 0.5 runs the query synchronously in WebAssembly, so the timeout never fires. If this starts
      // failing with StatementTimeoutError, PGlite enforces it: update the PGliteDriver documentation.
      await expect(raw(connection, 'SELECT pg_sleep(0.25)')).resolves.toBeDefined();
    } finally {
      await driver.release(connection, false);
    }
  });
});

describe('closing', () => {
  it('reports the destroyed connection and refuses work', async () => {
    const hooks = recordingHooks();
    const driver = new PGliteDriver();
    await driver.open(hooks);
    const connection = await driver.acquire();
    const waiting = driver.acquire();
    await driver.close();
    await expect(waiting).rejects.toBeInstanceOf(ConnectionLostError);
    expect(hooks.events).toEqual(['create pglite-1', 'destroy pglite-1 closed']);
    expect(driver.nativeStats()).toEqual({ total: 0, idle: 0 });
    expect(connection.broken).toBe(true);
    await expect(connection.ping()).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(driver.acquire()).rejects.toBeInstanceOf(ConnectionLostError);
    await driver.release(connection, true);
    await driver.close();
    expect(hooks.events).toHaveLength(2);
  });

  it('refuses acquire before open', async () => {
    await expect(new PGliteDriver().acquire()).rejects.toBeInstanceOf(ConnectionLostError);
  });
});

describe('a handed-in instance', () => {
  it('is used and left open', async () => {
    const pglite = new PGlite();
    const driver = new PGliteDriver({ pglite });
    await driver.open(recordingHooks());
    const connection = await driver.acquire();
    await connection.ensureSchema([Employee]);
    await connection.insert({ entity: Employee, rows: [employee(1)] });
    await driver.release(connection, false);
    await driver.close();
    expect(pglite.closed).toBe(false);
    const { rows } = await pglite.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM employees');
    expect(rows[0]!.n).toBe(1);

    // Closed behind the driver's back: the connection is broken and acquire says so.
    const second = new PGliteDriver({ pglite });
    await second.open(recordingHooks());
    const again = await second.acquire();
    await second.release(again, false);
    await pglite.close();
    expect(again.broken).toBe(true);
    await expect(second.acquire()).rejects.toBeInstanceOf(ConnectionLostError);
    await second.close();
  });

  it('cannot be opened once closed', async () => {
    const pglite = new PGlite();
    await pglite.close();
    await expect(new PGliteDriver({ pglite }).open(recordingHooks())).rejects.toBeInstanceOf(
      ConnectionLostError,
    );
  });
});

describe('the adapter and data folders', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  it('serves the pglite scheme', () => {
    expect(adapter.backend).toBe('pglite');
    expect(
      Object.keys(ADAPTER_PACKAGES).filter((s) => ADAPTER_PACKAGES[s]?.package === '@berth/pglite'),
    ).toEqual(['pglite']);
    expect((adapter.createDriver('pglite://memory', {}) as PGliteDriver).dataDir).toBeUndefined();
    expect((adapter.createDriver('pglite://./data', {}) as PGliteDriver).dataDir).toBe(resolve('data'));
    expect((adapter.createDriver('pglite:///var/lib/x', {}) as PGliteDriver).dataDir).toBe('/var/lib/x');
  });

  it('keeps data in a folder across close and reopen', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'berth-pglite-'));
    folders.push(folder);
    const dataDir = join(folder, 'db');
    const url = `pglite://${dataDir}`;

    const first = (await adapter.createDriver(url, {})) as PGliteDriver;
    await first.open(recordingHooks());
    let connection = await first.acquire();
    await connection.ensureSchema([Employee]);
    await connection.insert({ entity: Employee, rows: [employee(1), employee(2)] });
    await first.release(connection, false);
    await first.close();
    expect((await readdir(dataDir)).length).toBeGreaterThan(0);

    const second = (await adapter.createDriver(url, {})) as PGliteDriver;
    await second.open(recordingHooks());
    connection = await second.acquire();
    await connection.ensureSchema([Employee]);
    const rows = await connection.find({ entity: Employee, where: all, orderBy: byId });
    expect(rows).toEqual([employee(1), employee(2)]);
    await second.release(connection, false);
    await second.close();
  });
});

describe('PGliteDriver options', () => {
  it.each(['statementTimeoutMs', 'idleTimeoutMs', 'connectTimeoutMs', 'maxLifetimeMs', 'acquireTimeoutMs'])(
    'refuses %s past 2^31 - 1 ms, infinite or negative, with a ValidationError naming it',
    (name) => {
      for (const value of [2 ** 31, Number.POSITIVE_INFINITY, -1]) {
        expect(() => new PGliteDriver({ [name]: value })).toThrow(ValidationError);
        expect(() => new PGliteDriver({ [name]: value })).toThrow(new RegExp(`^${name} must`));
      }
    },
  );
});
