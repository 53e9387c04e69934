import {
  CommitOutcomeUnknownError,
  type Database,
  OptimisticLockError,
  OutOfBoundsError,
  UniqueViolationError,
} from '@berth/core';
import { Item } from '@berth/testkit';
import type { Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Employee, employee, openTestDatabase } from './support/fixtures.js';
import { checkout } from './support/sql.js';
import { TEST_DATABASE } from './support/test-env.js';
import { ServerProbe, adminConnection, serverAvailable } from './support/test-server.js';

const probe = new ServerProbe();
let db: Database | undefined;

/** The statements a call sends (one a round trip: a packet is one event), with the call's result. */
async function watched<T>(on: Database, call: () => Promise<T>): Promise<{ sent: string[]; result: T }> {
  const sent: string[] = [];
  const listener = (event: { statement: string }) => sent.push(event.statement);
  on.on('query', listener);
  try {
    return { sent, result: await call() };
  } finally {
    on.off('query', listener);
  }
}

async function open(config: Parameters<typeof openTestDatabase>[0] = {}) {
  const opened = await openTestDatabase(config, {}, [Employee, Item]);
  db = opened.db;
  return opened;
}

describe.skipIf(!serverAvailable())('an update by id on MariaDB is one round trip', () => {
  beforeAll(async () => {
    const opened = await openTestDatabase({}, {}, [Employee, Item]);
    await opened.db.ensureSchema();
    await opened.db.close();
  });
  afterEach(async () => {
    await db?.close(1_000);
    db = undefined;
    await probe.query(`DELETE FROM ${TEST_DATABASE}.employees`);
  });
  afterAll(() => probe.close());

  it('sends BEGIN, the conditional UPDATE, the read of the row and COMMIT as one packet, and returns the row written', async () => {
    const { db } = await open();
    const repo = db.repository(Employee);
    const row = await repo.insert(employee(1));
    const { sent, result } = await watched(db, () =>
      repo.update(row.id, { salary: 5_000 }, { expectedVersion: 1 }),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.split(';\n').map((s) => s.split(' ')[0])).toEqual([
      'START',
      'UPDATE',
      'SELECT',
      'COMMIT',
    ]);
    // Its query event shows placeholders, never the values inlined into the packet (`includeValues`).
    expect(sent[0]).not.toContain('5000');
    expect(sent[0]).not.toContain(row.id);
    expect(sent[0]).toMatch(/`salary` = \?/);
    expect(result).toMatchObject({ id: row.id, salary: 5_000, version: 2, name: row.name });
    expect(result.updatedAt.getTime()).toBeGreaterThanOrEqual(row.updatedAt.getTime());
    expect(await repo.findById(row.id)).toEqual(result);
    expect(await probe.openTransactions()).toBe(0);
  });

  it('a stale expectedVersion is the same OptimisticLockError as before, naming the version found, and writes nothing', async () => {
    const { db } = await open();
    const repo = db.repository(Employee);
    const row = await repo.insert(employee(2));
    await repo.update(row.id, { salary: 1 }, { expectedVersion: 1 });
    const { sent } = await watched(db, async () => {
      const error = await repo.update(row.id, { salary: 2 }, { expectedVersion: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OptimisticLockError);
      expect(error).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    });
    // The packet, then the read that tells a conflict from a missing row.
    expect(sent).toHaveLength(2);
    expect(await repo.findById(row.id)).toMatchObject({ salary: 1, version: 2 });
  });

  it('a patch that changes nothing writes nothing and returns the row as it is', async () => {
    const { db } = await open();
    const repo = db.repository(Employee);
    const row = await repo.insert(employee(3));
    const same = await repo.update(row.id, { salary: row.salary }, { expectedVersion: 1 });
    expect(same).toEqual(row);
    expect(await repo.findById(row.id)).toEqual(row);
  });

  it('an atomic operator: the value the patch does not know is read back in the same packet; out of bounds writes nothing', async () => {
    const { db } = await open();
    const items = db.repository(Item);
    const row = await items.insert({
      sku: 'ot-1',
      barcode: 'ot-1',
      warehouse: 'w',
      bin: 'ot-1',
      name: 'n',
      stock: 5,
      price: 1,
      tag: null,
      level: null,
    });
    const { sent, result } = await watched(db, () => items.update(row.id, { stock: { increment: 7 } }));
    expect(sent).toHaveLength(1);
    expect(result).toMatchObject({ stock: 12, version: 2 });
    await expect(items.update(row.id, { stock: { decrement: 13 } })).rejects.toBeInstanceOf(OutOfBoundsError);
    expect(await items.findById(row.id)).toMatchObject({ stock: 12, version: 2 });
    await items.delete(row.id);
  });

  it('values survive the text packet exactly: dates to the millisecond, JSON, booleans, null-free unicode', async () => {
    const { db } = await open();
    const repo = db.repository(Employee);
    const row = await repo.insert(employee(4));
    const patch = {
      name: 'ẞ 🚀 it\'s \\ "q" `t` ? -- /* */ #',
      hiredAt: new Date(Date.UTC(1999, 11, 31, 23, 59, 58, 7)),
      active: false,
      profile: { nested: ["x'y", 1.5, null], back: '\\' },
    };
    const written = await repo.update(row.id, patch, { expectedVersion: 1 });
    expect(written).toMatchObject(patch);
    expect(await repo.findById(row.id)).toEqual(written);
  });

  it('a statement of the packet that fails (a duplicate) rolls the rest back: nothing written, no transaction left open, the connection kept', async () => {
    const { db, log } = await open({ max: 1 });
    const repo = db.repository(Employee);
    const taken = await repo.insert(employee(5));
    const row = await repo.insert(employee(6));
    const { sent } = await watched(db, () =>
      expect(
        repo.update(row.id, { email: taken.email, salary: 9 }, { expectedVersion: 1 }),
      ).rejects.toBeInstanceOf(UniqueViolationError),
    );
    // The packet, stopped at its UPDATE, then the ROLLBACK of the transaction it left open.
    expect(sent.map((s) => s.split(' ')[0])).toEqual(['START', 'ROLLBACK']);
    expect(await repo.findById(row.id)).toEqual(row);
    const { lease, connection } = await checkout(db);
    try {
      const [state] = (await connection.native.query('SELECT @@in_transaction AS open')) as unknown as [
        { open: number }[],
      ];
      expect(Number(state[0]!.open)).toBe(0);
    } finally {
      await db.pool.release(lease);
    }
    expect(log.events.filter((e) => e.startsWith('destroy'))).toEqual([]);
    expect(await repo.update(row.id, { salary: 9 }, { expectedVersion: 1 })).toMatchObject({ version: 2 });
  });

  it('a connection killed while the packet runs writes nothing, and its outcome is unknown, never reported safe', async () => {
    const { db, log } = await open({ max: 2 });
    const repo = db.repository(Employee);
    const row = await repo.insert(employee(7));
    // A foreign session holds the row, so the packet stops inside, at its UPDATE, mid-transaction.
    const foreign: Connection = await adminConnection();
    let error: unknown;
    const sent: string[] = [];
    db.on('query', (event) => sent.push(event.statement));
    try {
      await foreign.query('START TRANSACTION');
      await foreign.query(`SELECT * FROM ${TEST_DATABASE}.employees WHERE id = ? FOR UPDATE`, [row.id]);
      const updating = repo.update(row.id, { salary: 77 }, { expectedVersion: 1 });
      updating.catch(() => undefined);
      let waiting: number | undefined;
      await expect
        .poll(async () => {
          waiting = (await probe.transactions()).find((t) => t.state === 'LOCK WAIT')?.thread;
          return waiting;
        })
        .toBeDefined();
      await probe.kill(String(waiting));
      error = await updating.then(
        () => undefined,
        (e: unknown) => e,
      );
    } finally {
      await foreign.query('ROLLBACK');
      await foreign.end();
    }
    expect(sent.map((s) => s.split(' ')[0])).toEqual(['START']);
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((error as CommitOutcomeUnknownError).resolve).toBeUndefined();
    const stored = await probe.readRaw('employees');
    expect(stored.map((r) => [r.id, r.salary, r.version])).toEqual([[row.id, row.salary, 1]]);
    expect(await probe.openTransactions()).toBe(0);
    expect(log.events.some((e) => e.startsWith('destroy') && e.endsWith(':error'))).toBe(true);
    expect(await repo.update(row.id, { salary: 78 }, { expectedVersion: 1 })).toMatchObject({ version: 2 });
  });

  it('inside a transaction the statements go one by one with bound values (no BEGIN or COMMIT of its own)', async () => {
    const { db } = await open();
    const repo = db.repository(Employee);
    const row = await repo.insert(employee(8));
    const { sent } = await watched(db, () =>
      db.transaction(() => repo.update(row.id, { salary: 8 }, { expectedVersion: 1 })),
    );
    expect(sent.slice(0, 3).map((s) => s.split(' ')[0])).toEqual(['START', 'UPDATE', 'SELECT']);
    expect(sent.slice(0, 3).every((s) => !s.includes(';'))).toBe(true);
    // The transaction's own COMMIT (with its marker row, when markers are on).
    expect(sent).toHaveLength(4);
    expect(sent[3]).toMatch(/COMMIT$/);
    expect(await repo.findById(row.id)).toMatchObject({ salary: 8, version: 2 });
  });
});
