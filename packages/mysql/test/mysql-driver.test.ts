import { TEST_DATABASE } from './support/test-env.js';
import { ConnectionLostError, type Database, MATCH_ALL } from '@berth/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MysqlConnection } from '../src/mysql-connection.js';
import { BERTH_SQL_MODE } from '../src/mysql-session.js';
import { Employee, employee, openTestDatabase, storedEmployee, testDriver } from './support/fixtures.js';
import { checkout, sql, withConnection } from './support/sql.js';
import { ServerProbe, serverAvailable } from './support/test-server.js';

const probe = new ServerProbe();
const open: Database[] = [];

async function openDb(...args: Parameters<typeof openTestDatabase>) {
  const result = await openTestDatabase(...args);
  open.push(result.db);
  return result;
}

describe.skipIf(!serverAvailable())('MysqlDriver on the real server', () => {
  beforeAll(async () => {
    const { db } = await openDb();
    await db.ensureSchema();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close(1_000)));
  });
  afterAll(async () => {
    await probe.close();
  });

  it('detects the flavour and sets up every session', async () => {
    const { db, driver } = await openDb({
      statementTimeoutMs: 1_500,
      sessionVariables: { wait_timeout: 77 },
    });
    const settings = await withConnection(db, async (c) => {
      const { rows } = await sql(
        c,
        'SELECT @@session.time_zone AS tz, @@session.sql_mode AS mode, @@session.max_statement_time AS mst, ' +
          '@@session.wait_timeout AS wt, @@session.character_set_client AS cs, @@session.tx_isolation AS iso',
      );
      return { server: c.server, row: rows[0]!, id: c.id };
    });
    expect(settings.server.flavour).toBe('mariadb');
    expect(settings.server.version).toMatch(/MariaDB/);
    expect(await driver.server).toBe(settings.server);
    expect(settings.row).toMatchObject({
      tz: '+00:00',
      mst: 1.5,
      wt: 77,
      cs: 'utf8mb4',
      iso: 'REPEATABLE-READ',
    });
    expect(String(settings.row.mode).split(',').sort()).toEqual(BERTH_SQL_MODE.split(',').sort());
    expect(await probe.sessionIds()).toContain(settings.id);
  });

  it('uses the server thread id as the connection id and keeps one wrapper per connection', async () => {
    const { db } = await openDb({ max: 1 });
    const first = await withConnection(db, async (c) => {
      const { rows } = await sql(c, 'SELECT CONNECTION_ID() AS id');
      expect(c.id).toBe(String(rows[0]!.id));
      return c;
    });
    const second = await withConnection(db, async (c) => c);
    expect(second).toBe(first);
    expect(second).toBeInstanceOf(MysqlConnection);
  });

  it('reports rows matched, not changed, by an UPDATE (FOUND_ROWS), which optimistic locking needs', async () => {
    const { db } = await openDb();
    const repo = db.repository(Employee);
    const row = await repo.insert(employee(1));
    const matched = await withConnection(db, (c) =>
      c.update({
        entity: Employee,
        where: { type: 'compare', field: 'id', op: 'eq', value: row.id },
        set: { name: row.name },
      }),
    );
    expect(matched).toBe(1);
    // The same through the repository: a versioned update of unchanged values still matches.
    const updated = await repo.update(row.id, { salary: 5 }, { expectedVersion: row.version });
    expect(updated.version).toBe(row.version + 1);
    await repo.delete(row.id);
  });

  it('round-trips values: UTC datetimes with milliseconds, JSON, booleans, big integers', async () => {
    const { db } = await openDb();
    const repo = db.repository(Employee);
    const row = await repo.insert(
      employee(2, {
        salary: 2 ** 53 - 1,
        active: false,
        profile: { tags: ['a', "it's"], n: 1.5, s: 'text' },
      }),
    );
    const read = await repo.getById(row.id);
    expect(read).toEqual(row);
    expect(read.hiredAt.toISOString()).toBe('2024-01-03T12:30:15.123Z');
    const [raw] = await probe.query(
      `SELECT CAST(hiredAt AS CHAR) AS hired, salary FROM ${TEST_DATABASE}.employees WHERE id = ?`,
      [row.id],
    );
    expect(raw).toEqual({ hired: '2024-01-03 12:30:15.123', salary: 2 ** 53 - 1 });
    await repo.delete(row.id);
  });

  it('inserts many rows in chunks inside one transaction: all or nothing', async () => {
    const { db } = await openDb();
    const repo = db.repository(Employee);
    const rows = Array.from({ length: 2_500 }, (_, i) => employee(100 + i));
    await repo.insertMany(rows);
    expect(await repo.count()).toBe(2_500);
    await withConnection(db, (c) => c.delete({ entity: Employee, where: MATCH_ALL }));
    // A duplicate in the last chunk rolls back the chunks before it.
    const failing = [...rows, employee(9_999, { email: rows[0]!.email })];
    await expect(repo.insertMany(failing)).rejects.toMatchObject({
      code: 'UNIQUE_VIOLATION',
      fields: ['email'],
    });
    expect(await repo.count()).toBe(0);
    expect(await probe.openTransactions()).toBe(0);
  });

  it('compares trailing spaces like the other backends (NO PAD collation)', async () => {
    const { db } = await openDb();
    const repo = db.repository(Employee);
    await repo.insert(employee(3, { email: 'pad@x' }));
    await repo.insert(employee(4, { email: 'pad@x ' }));
    expect(await repo.count({ email: 'pad@x' })).toBe(1);
    await withConnection(db, (c) => c.delete({ entity: Employee, where: MATCH_ALL }));
  });

  it('rolls back and resets a session released dirty, then applies the session settings again', async () => {
    const driver = testDriver({ max: 1, statementTimeoutMs: 2_000 });
    const destroyed: string[] = [];
    await driver.open({ onCreate() {}, onDestroy: (id) => destroyed.push(id), onError() {} });
    try {
      const c = await driver.acquire();
      await c.begin();
      await c.insert({ entity: Employee, rows: [storedEmployee('dirty-1')] });
      await sql(c, "SELECT GET_LOCK('berth_test_lock', 1) AS `acquired`");
      expect(c.dirty).toBe(true);
      // Released without the core's rollback: the driver cleans the session itself.
      await driver.release(c, false);
      expect(await probe.openTransactions()).toBe(0);
      const again = await driver.acquire();
      expect(again).toBe(c);
      const { rows } = await sql(
        again,
        "SELECT IS_USED_LOCK('berth_test_lock') AS holder, @@session.max_statement_time AS mst, " +
          "@@session.time_zone AS tz, (SELECT COUNT(*) FROM employees WHERE id = 'dirty-1') AS n",
      );
      expect(rows[0]).toEqual({ holder: null, mst: 2, tz: '+00:00', n: 0 });
      await driver.release(again, false);
      expect(destroyed).toEqual([]);
    } finally {
      await driver.close();
    }
  });

  it('resets every session on release with resetOnRelease: always', async () => {
    const { db } = await openDb({ max: 1, resetOnRelease: 'always' });
    await withConnection(db, (c) => sql(c, "SET @leftover = 'x', SESSION time_zone = '+05:00'"));
    const row = await withConnection(
      db,
      async (c) => (await sql(c, 'SELECT @leftover AS v, @@session.time_zone AS tz')).rows[0],
    );
    expect(row).toEqual({ v: null, tz: '+00:00' });
  });

  it('keeps min connections open, closes idle ones past idleTimeoutMs, and matches the server count', async () => {
    const { db, log } = await openDb({ max: 4, min: 2, idleTimeoutMs: 300, sweepIntervalMs: 50 });
    await expect.poll(() => db.pool.stats().total, { timeout: 2_000 }).toBe(2);
    const leases = await Promise.all([1, 2, 3, 4].map(() => db.pool.acquire()));
    expect(db.pool.stats()).toMatchObject({ total: 4, inUse: 4, idle: 0 });
    for (const lease of leases) await db.pool.release(lease);
    expect(db.pool.stats()).toMatchObject({ total: 4, idle: 4 });
    await expect.poll(() => db.pool.stats().total, { timeout: 2_000 }).toBe(2);
    expect(log.events.filter((e) => e.endsWith(':idle'))).toHaveLength(2);
    await expect.poll(() => probe.serverConnections(), { timeout: 2_000 }).toBe(db.pool.stats().total);
    expect(log.errors).toEqual([]);
  });

  it('retires connections past maxLifetimeMs and reopens min', async () => {
    const { db, log } = await openDb({ max: 2, min: 1, maxLifetimeMs: 200, sweepIntervalMs: 50 });
    const first = await withConnection(db, async (c) => c.id);
    await expect
      .poll(() => log.events.some((e) => e === `destroy:${first}:lifetime`), { timeout: 2_000 })
      .toBe(true);
    await expect.poll(() => db.pool.stats().total, { timeout: 2_000 }).toBe(1);
    const next = await withConnection(db, async (c) => c.id);
    expect(next).not.toBe(first);
  });

  it("maps mysql2's closed state to ConnectionLostError and replaces the connection", async () => {
    const { db, log } = await openDb({ max: 1 });
    const { lease, connection } = await checkout(db);
    // What a connection looks like after mysql2 gave up on it: every new command fails synchronously.
    connection.native.connection.destroy();
    const error = await sql(connection, 'SELECT 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as Error).message).toMatch(/closed state/);
    expect(connection.broken).toBe(true);
    await db.pool.release(lease);
    expect(log.events).toContain(`destroy:${connection.id}:error`);
    expect(await db.repository(Employee).count()).toBe(0);
    expect(db.pool.stats().total).toBe(1);
  });

  it('closes every connection on close and reports each', async () => {
    const { db, log } = await openDb({ max: 3 });
    const leases = await Promise.all([1, 2, 3].map(() => db.pool.acquire()));
    const ids = leases.map((l) => l.connection.id);
    for (const lease of leases) await db.pool.release(lease);
    await db.close();
    expect(log.events.filter((e) => e.startsWith('destroy:')).sort()).toEqual(
      ids.map((id) => `destroy:${id}:closed`).sort(),
    );
    await expect.poll(() => probe.serverConnections(), { timeout: 2_000 }).toBe(0);
    await expect(leases[0]!.connection.ping()).rejects.toBeInstanceOf(ConnectionLostError);
  });
});
