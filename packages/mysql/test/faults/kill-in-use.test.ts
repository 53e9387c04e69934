import { TEST_DATABASE } from '../support/test-env.js';
import { ConnectionLostError, type Database } from '@berth/core';
import type { Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Employee, employee, openTestDatabase } from '../support/fixtures.js';
import { checkout, sql } from '../support/sql.js';
import { ServerProbe, adminConnection, serverAvailable } from '../support/test-server.js';

const probe = new ServerProbe();
let db: Database | undefined;

describe.skipIf(!serverAvailable())('KILL CONNECTION on a connection in use', () => {
  beforeAll(async () => {
    const opened = await openTestDatabase();
    await opened.db.ensureSchema();
    await opened.db.close();
  });
  afterEach(async () => {
    await db?.close(1_000);
    db = undefined;
    await probe.query(`DELETE FROM ${TEST_DATABASE}.employees`);
  });
  afterAll(() => probe.close());

  it('fails the running statement with ConnectionLostError, destroys the connection, and the next call works', async () => {
    const opened = await openTestDatabase({ max: 2 });
    db = opened.db;
    const { lease, connection } = await checkout(db);
    const running = sql(connection, 'SELECT SLEEP(10)');
    running.catch(() => undefined);
    await expect
      .poll(
        async () =>
          (
            await probe.query('SELECT ID FROM information_schema.processlist WHERE INFO = ?', [
              'SELECT SLEEP(10)',
            ])
          ).length,
      )
      .toBe(1);
    const killedAt = performance.now();
    await probe.kill(connection.id);
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    const failedMs = performance.now() - killedAt;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as ConnectionLostError).retryable).toBe(true);
    expect(connection.broken).toBe(true);
    await db.pool.release(lease);
    expect(opened.log.events).toContain(`destroy:${connection.id}:error`);
    // The caller saw the error; the pool's error events are for connections nobody was using.
    expect(opened.log.errors).toEqual([]);
    expect(await db.repository(Employee).count()).toBe(0);
    expect(await probe.sessionIds()).not.toContain(connection.id);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    expect(db.pool.stats().total).toBe(await probe.serverConnections());
    console.info(`kill-in-use: the running statement failed ${failedMs.toFixed(0)} ms after KILL`);
  });

  it('a unit of work killed mid-flush writes nothing', async () => {
    const opened = await openTestDatabase({ max: 2 });
    db = opened.db;
    const repo = db.repository(Employee);
    const doomed = await repo.insert(employee(1));
    const locked = await repo.insert(employee(2));

    const uow = db.unitOfWork();
    const toDelete = await uow.findById(Employee, doomed.id);
    const toUpdate = await uow.findById(Employee, locked.id);
    uow.remove(Employee, toDelete!);
    toUpdate!.name = 'changed';
    uow.persist(Employee, employee(3));

    // A foreign session holds the row the flush updates, so the flush stops after its delete, mid-transaction.
    const foreign: Connection = await adminConnection();
    try {
      await foreign.query('START TRANSACTION');
      await foreign.query(`SELECT * FROM ${TEST_DATABASE}.employees WHERE id = ? FOR UPDATE`, [locked.id]);
      const flushing = uow.flush();
      flushing.catch(() => undefined);
      let waiting: number | undefined;
      await expect
        .poll(async () => {
          const rows = await probe.transactions();
          waiting = rows.find((row) => row.state === 'LOCK WAIT')?.thread;
          return waiting;
        })
        .toBeDefined();
      await probe.kill(String(waiting));
      const error = await flushing.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConnectionLostError);
    } finally {
      await foreign.query('ROLLBACK');
      await foreign.end();
    }

    // Checked from a separate connection: the delete was rolled back, nothing else was written.
    const rows = await probe.readRaw('employees');
    expect(rows.map((r) => [r.id, r.name]).sort()).toEqual(
      [
        [doomed.id, doomed.name],
        [locked.id, locked.name],
      ].sort(),
    );
    expect(await probe.openTransactions()).toBe(0);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    expect(db.pool.stats().total).toBe(await probe.serverConnections());
    // And the pool goes on working.
    expect(await repo.count()).toBe(2);
  });
});
