import { TEST_DATABASE } from './support/test-env.js';
import {
  type Database,
  DatabaseError,
  StatementTimeoutError,
  TransactionConflictError,
  UniqueViolationError,
} from '@berth/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Employee, employee, openTestDatabase, storedEmployee } from './support/fixtures.js';
import { sql, withConnection } from './support/sql.js';
import { ServerProbe, adminConnection, serverAvailable } from './support/test-server.js';

const probe = new ServerProbe();

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe.skipIf(!serverAvailable())('errors from the real server, mapped to berth errors', () => {
  let db: Database;

  beforeAll(async () => {
    ({ db } = await openTestDatabase({ max: 3, sessionVariables: { innodb_lock_wait_timeout: 1 } }));
    await db.ensureSchema();
  });
  afterEach(async () => {
    await probe.query(`DELETE FROM ${TEST_DATABASE}.employees`);
  });
  afterAll(async () => {
    await db.close(1_000);
    await probe.close();
  });

  it("1062 duplicate entry → UniqueViolationError naming the field (MariaDB's `for key 'name'` form)", async () => {
    const repo = db.repository(Employee);
    await repo.insert(employee(1));
    const error = await failure(repo.insert(employee(2, { email: 'e1@example.com' })));
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(error).toMatchObject({ entity: 'employees', fields: ['email'], retryable: false });
    expect(((error as Error).cause as { sqlMessage: string }).sqlMessage).toMatch(
      /for key 'employees_email_key'$/,
    );
    const duplicateId = await failure(
      withConnection(db, (c) =>
        c.insert({ entity: Employee, rows: [storedEmployee('same', 8), storedEmployee('same', 9)] }),
      ),
    );
    expect(duplicateId).toMatchObject({ entity: 'employees', fields: ['id'] });
  });

  it('1213 deadlock → retryable TransactionConflictError, and the survivor commits', async () => {
    const repo = db.repository(Employee);
    const a = await repo.insert(employee(1));
    const b = await repo.insert(employee(2));
    let arrived = 0;
    let release!: () => void;
    const bothLocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cross = (first: string, second: string) =>
      db.transaction(async (tx) => {
        const r = tx.repository(Employee);
        await r.update(first, { salary: 1 });
        if (++arrived === 2) release();
        await bothLocked;
        await r.update(second, { salary: 2 });
      });
    const results = await Promise.allSettled([cross(a.id, b.id), cross(b.id, a.id)]);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const error = (rejected[0] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(TransactionConflictError);
    expect(error.retryable).toBe(true);
    expect((error.cause as { errno: number }).errno).toBe(1213);
    expect(await probe.openTransactions()).toBe(0);
  });

  it('1205 lock wait timeout → retryable TransactionConflictError', async () => {
    const row = await db.repository(Employee).insert(employee(1));
    const foreign = await adminConnection();
    try {
      await foreign.query('START TRANSACTION');
      await foreign.query(`SELECT id FROM ${TEST_DATABASE}.employees WHERE id = ? FOR UPDATE`, [row.id]);
      const error = await failure(db.repository(Employee).update(row.id, { salary: 9 }));
      expect(error).toBeInstanceOf(TransactionConflictError);
      expect(((error as Error).cause as { errno: number }).errno).toBe(1205);
    } finally {
      await foreign.query('ROLLBACK');
      await foreign.end();
    }
  });

  it('1969 max_statement_time → StatementTimeoutError, and the connection stays usable', async () => {
    const { db: timed } = await openTestDatabase({ max: 1, statementTimeoutMs: 200 });
    try {
      const error = await withConnection(timed, (c) =>
        failure(
          sql(
            c,
            'SELECT COUNT(*) FROM information_schema.columns a, information_schema.columns b, information_schema.columns c',
          ),
        ),
      );
      expect(error).toBeInstanceOf(StatementTimeoutError);
      expect(((error as Error).cause as { errno: number }).errno).toBe(1969);
      expect(await timed.repository(Employee).count()).toBe(0);
    } finally {
      await timed.close(1_000);
    }
  });

  it('1406 data too long and 1264 out of range (past the core validation) → DatabaseError with the errno', async () => {
    const tooLong = await failure(
      withConnection(db, (c) =>
        c.insert({ entity: Employee, rows: [{ ...storedEmployee('long'), name: 'x'.repeat(101) }] }),
      ),
    );
    expect(tooLong).toBeInstanceOf(DatabaseError);
    expect(tooLong).toMatchObject({ driverCode: 1406 });
    const outOfRange = await failure(
      withConnection(db, (c) =>
        c.insert({ entity: Employee, rows: [{ ...storedEmployee('range'), version: 2 ** 40 }] }),
      ),
    );
    expect(outOfRange).toMatchObject({ driverCode: 1264 });
    expect(await probe.readRaw('employees')).toEqual([]);
  });
});
