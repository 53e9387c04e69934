import {
  type Condition,
  type DriverConnection,
  type StoredRow,
  UniqueViolationError,
  ValidationError,
} from '@berth/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PGliteDriver } from '../src/index.js';
import { Employee, Team, employee, recordingHooks } from './support.js';

const all: Condition = { type: 'literal', value: true };
const byId = [{ field: 'id', direction: 'asc' }] as const;

let driver: PGliteDriver;
let connection: DriverConnection;

beforeAll(async () => {
  driver = new PGliteDriver();
  await driver.open(recordingHooks());
  connection = await driver.acquire();
  await connection.ensureSchema([Employee, Team]);
});

afterAll(async () => {
  await driver.release(connection, false);
  await driver.close();
});

beforeEach(async () => {
  await connection.delete({ entity: Employee, where: all });
  await connection.delete({ entity: Team, where: all });
});

async function ids(
  where: Condition,
  orderBy: readonly { field: string; direction: 'asc' | 'desc' }[] = byId,
) {
  const rows = await connection.find({ entity: Employee, where, orderBy });
  return rows.map((row) => Number(String(row.id).slice(4)));
}

async function seed(count: number, overrides: (i: number) => StoredRow = () => ({})): Promise<void> {
  await connection.insert({
    entity: Employee,
    rows: Array.from({ length: count }, (_, i) => employee(i, overrides(i))),
  });
}

describe('ensureSchema', () => {
  it('is idempotent', async () => {
    await connection.ensureSchema([Employee, Team]);
    await connection.ensureSchema([Employee]);
    const { rows } = await (
      connection as unknown as {
        execute(sql: string, p: unknown[]): Promise<{ rows: { indexname: string }[] }>;
      }
    ).execute("SELECT indexname FROM pg_indexes WHERE tablename = 'employees' ORDER BY indexname", []);
    expect(rows.map((r) => r.indexname)).toEqual([
      'employees_email_key',
      'employees_name_idx',
      'employees_name_salary_key',
      'employees_pkey',
    ]);
  });
});

describe('find and count with every condition', () => {
  beforeEach(() => seed(6, (i) => ({ nickname: i < 2 ? `nick_${i}%` : null })));

  it('compares', async () => {
    const salary = (op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'): Condition => ({
      type: 'compare',
      field: 'salary',
      op,
      value: 300,
    });
    expect(await ids(salary('eq'))).toEqual([3]);
    expect(await ids(salary('ne'))).toEqual([0, 1, 2, 4, 5]);
    expect(await ids(salary('gt'))).toEqual([4, 5]);
    expect(await ids(salary('gte'))).toEqual([3, 4, 5]);
    expect(await ids(salary('lt'))).toEqual([0, 1, 2]);
    expect(await ids(salary('lte'))).toEqual([0, 1, 2, 3]);
    expect(await ids({ type: 'compare', field: 'active', op: 'eq', value: true })).toEqual([0, 2, 4]);
    expect(await ids({ type: 'compare', field: 'rating', op: 'gt', value: 4 })).toEqual([4, 5]);
    const hired = employee(2).hiredAt as Date;
    expect(await ids({ type: 'compare', field: 'hiredAt', op: 'lte', value: hired })).toEqual([0, 1, 2]);
  });

  it('matches lists', async () => {
    expect(
      await ids({ type: 'in', field: 'email', values: ['e1@example.com', 'e4@example.com'], negated: false }),
    ).toEqual([1, 4]);
    expect(await ids({ type: 'in', field: 'salary', values: [0, 500], negated: true })).toEqual([1, 2, 3, 4]);
    expect(await ids({ type: 'in', field: 'salary', values: [], negated: false })).toEqual([]);
    expect(await ids({ type: 'in', field: 'salary', values: [], negated: true })).toHaveLength(6);
  });

  it('matches patterns, escaping wildcards', async () => {
    expect(await ids({ type: 'like', field: 'name', mode: 'startsWith', value: 'name 3' })).toEqual([3]);
    expect(await ids({ type: 'like', field: 'email', mode: 'contains', value: '@example' })).toHaveLength(6);
    expect(await ids({ type: 'like', field: 'nickname', mode: 'contains', value: '_1%' })).toEqual([1]);
    expect(await ids({ type: 'like', field: 'nickname', mode: 'contains', value: 'k_' })).toEqual([0, 1]);
    expect(await ids({ type: 'like', field: 'nickname', mode: 'startsWith', value: 'nick%' })).toEqual([]);
    // Case-sensitive, like every backend.
    expect(await ids({ type: 'like', field: 'name', mode: 'startsWith', value: 'NAME' })).toEqual([]);
  });

  it('tests for null', async () => {
    expect(await ids({ type: 'null', field: 'nickname', isNull: false })).toEqual([0, 1]);
    expect(await ids({ type: 'null', field: 'nickname', isNull: true })).toEqual([2, 3, 4, 5]);
  });

  it('combines with and, or, not and literals', async () => {
    const low: Condition = { type: 'compare', field: 'salary', op: 'lt', value: 200 };
    const active: Condition = { type: 'compare', field: 'active', op: 'eq', value: true };
    expect(await ids({ type: 'and', conditions: [low, active] })).toEqual([0]);
    expect(await ids({ type: 'or', conditions: [low, active] })).toEqual([0, 1, 2, 4]);
    expect(await ids({ type: 'not', condition: { type: 'or', conditions: [low, active] } })).toEqual([3, 5]);
    expect(await ids({ type: 'literal', value: false })).toEqual([]);
    expect(await connection.count({ entity: Employee, where: { type: 'not', condition: active } })).toBe(3);
    expect(await connection.count({ entity: Employee, where: all })).toBe(6);
  });

  it('orders and limits', async () => {
    expect(await ids(all, [{ field: 'salary', direction: 'desc' }, ...byId])).toEqual([5, 4, 3, 2, 1, 0]);
    expect(await ids(all, [{ field: 'active', direction: 'asc' }, ...byId])).toEqual([1, 3, 5, 0, 2, 4]);
    const rows = await connection.find({ entity: Employee, where: all, orderBy: byId, limit: 2 });
    expect(rows.map((r) => r.id)).toEqual([employee(0).id, employee(1).id]);
    expect(await connection.find({ entity: Employee, where: all, orderBy: byId, limit: 0 })).toEqual([]);
  });

  it('orders strings by bytes, whatever the locale', async () => {
    await connection.insert({
      entity: Team,
      rows: ['b', 'B', 'a', 'A', '_', 'é'].map((code, i) => ({ id: `t${i}`, code })),
    });
    const rows = await connection.find({
      entity: Team,
      where: all,
      orderBy: [{ field: 'code', direction: 'asc' }],
    });
    expect(rows.map((r) => r.code)).toEqual(['A', 'B', '_', 'a', 'b', 'é']);
  });

  it('locks rows for update inside a transaction', async () => {
    await connection.begin();
    const rows = await connection.find({
      entity: Employee,
      where: all,
      orderBy: byId,
      limit: 1,
      forUpdate: true,
    });
    await connection.commit();
    expect(rows).toHaveLength(1);
  });
});

describe('writes', () => {
  it('inserts, updates (counting matches) and deletes', async () => {
    await seed(3);
    const where: Condition = { type: 'compare', field: 'id', op: 'eq', value: employee(1).id as string };
    expect(await connection.update({ entity: Employee, where, set: { salary: 7, version: 2 } })).toBe(1);
    // Setting the same values again still counts the row as matched.
    expect(await connection.update({ entity: Employee, where, set: { salary: 7, version: 2 } })).toBe(1);
    expect(await connection.update({ entity: Employee, where, set: {} })).toBe(1);
    const [row] = await connection.find({ entity: Employee, where, orderBy: byId });
    expect(row).toMatchObject({ salary: 7, version: 2 });
    expect(
      await connection.update({
        entity: Employee,
        where: { type: 'literal', value: false },
        set: { salary: 1 },
      }),
    ).toBe(0);
    expect(await connection.delete({ entity: Employee, where })).toBe(1);
    expect(await connection.delete({ entity: Employee, where: all })).toBe(2);
  });

  it('inserts many rows in chunks', async () => {
    await seed(2500);
    expect(await connection.count({ entity: Employee, where: all })).toBe(2500);
    const [last] = await connection.find({
      entity: Employee,
      where: all,
      orderBy: [{ field: 'id', direction: 'desc' }],
      limit: 1,
    });
    expect(last).toEqual(employee(2499));
  });

  it('inserts nothing at all when one chunk fails', async () => {
    await seed(1);
    const rows = Array.from({ length: 1500 }, (_, i) => employee(i + 1));
    rows.push(employee(0, { id: 'other' })); // duplicate email, in the second chunk
    await expect(connection.insert({ entity: Employee, rows })).rejects.toBeInstanceOf(UniqueViolationError);
    expect(await connection.count({ entity: Employee, where: all })).toBe(1);
  });

  it('maps unique violations to the fields of the index', async () => {
    await seed(1);
    const attempt = (row: StoredRow) => connection.insert({ entity: Employee, rows: [row] });
    await expect(attempt(employee(1, { email: 'e0@example.com' }))).rejects.toMatchObject({
      code: 'UNIQUE_VIOLATION',
      entity: 'employees',
      fields: ['email'],
    });
    await expect(attempt(employee(1, { id: employee(0).id }))).rejects.toMatchObject({
      entity: 'employees',
      fields: ['id'],
    });
    await expect(attempt(employee(1, { name: 'name 0', salary: 0 }))).rejects.toMatchObject({
      entity: 'employees',
      fields: ['name', 'salary'],
    });
    await connection.insert({ entity: Team, rows: [{ id: 't1', code: 'x' }] });
    await expect(connection.insert({ entity: Team, rows: [{ id: 't2', code: 'x' }] })).rejects.toMatchObject({
      entity: 'teams',
      fields: ['code'],
    });
    // Case-sensitive uniqueness.
    await connection.insert({ entity: Team, rows: [{ id: 't3', code: 'X' }] });
  });

  it('refuses undeclared fields before reaching the database', async () => {
    await expect(
      connection.update({ entity: Employee, where: all, set: { 'salary" = 0; --': 1 } }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('transactions', () => {
  it('commits and rolls back', async () => {
    await connection.begin();
    await seed(2);
    await connection.commit();
    await connection.begin();
    await connection.delete({ entity: Employee, where: all });
    expect(await connection.count({ entity: Employee, where: all })).toBe(0);
    await connection.rollback();
    expect(await connection.count({ entity: Employee, where: all })).toBe(2);
  });

  it('rolls back to and releases savepoints', async () => {
    await connection.begin();
    await connection.insert({ entity: Employee, rows: [employee(1)] });
    await connection.savepoint('sp_1');
    await connection.insert({ entity: Employee, rows: [employee(2)] });
    await connection.savepoint('sp_2');
    await connection.insert({ entity: Employee, rows: [employee(3)] });
    await connection.rollbackToSavepoint('sp_2');
    await connection.releaseSavepoint('sp_2');
    await connection.rollbackToSavepoint('sp_1');
    await connection.insert({ entity: Employee, rows: [employee(4)] });
    await connection.releaseSavepoint('sp_1');
    await connection.commit();
    expect(await ids(all)).toEqual([1, 4]);
  });

  it('recovers a failed statement with a savepoint', async () => {
    await seed(1);
    await connection.begin();
    await connection.savepoint('sp_1');
    await expect(connection.insert({ entity: Employee, rows: [employee(0)] })).rejects.toBeInstanceOf(
      UniqueViolationError,
    );
    await connection.rollbackToSavepoint('sp_1');
    await connection.insert({ entity: Employee, rows: [employee(1)] });
    await connection.commit();
    expect(await ids(all)).toEqual([0, 1]);
  });

  it('chunks a large insert inside the caller’s transaction', async () => {
    await connection.begin();
    await seed(1200);
    await connection.rollback();
    expect(await connection.count({ entity: Employee, where: all })).toBe(0);
  });
});

describe('round-trips', () => {
  it('keeps every kind of value', async () => {
    const row = employee(1, {
      salary: Number.MAX_SAFE_INTEGER,
      rating: -1234.5678e-3,
      active: false,
      hiredAt: new Date('1999-12-31T23:59:59.999Z'),
      profile: { nested: { list: [1, 'two', null, true] }, quote: 'it\'s "x"', unicode: 'ü🙂' },
      nickname: 'Straße 🙂',
    });
    await connection.insert({ entity: Employee, rows: [row] });
    const [read] = await connection.find({ entity: Employee, where: all, orderBy: byId });
    expect(read).toEqual(row);
    expect(typeof read!.salary).toBe('number');
    expect(read!.hiredAt).toBeInstanceOf(Date);
  });

  it('keeps JSON scalars and arrays', async () => {
    for (const [i, profile] of [
      [1, 'text'],
      [2, 42],
      [3, [1, 2]],
      [4, false],
    ] as const) {
      await connection.insert({ entity: Employee, rows: [employee(i, { profile })] });
    }
    const rows = await connection.find({ entity: Employee, where: all, orderBy: byId });
    expect(rows.map((r) => r.profile)).toEqual(['text', 42, [1, 2], false]);
  });

  it('stores instants in UTC with millisecond precision', async () => {
    const when = new Date('2024-07-01T12:34:56.789Z');
    await connection.insert({ entity: Employee, rows: [employee(1, { hiredAt: when })] });
    const { rows } = await (
      connection as unknown as { execute(sql: string, p: unknown[]): Promise<{ rows: { text: string }[] }> }
    ).execute(
      `SELECT to_char("hiredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS text FROM employees`,
      [],
    );
    expect(rows[0]!.text).toBe('2024-07-01 12:34:56.789');
    const [read] = await connection.find({
      entity: Employee,
      where: { type: 'compare', field: 'hiredAt', op: 'eq', value: when },
      orderBy: byId,
    });
    expect((read!.hiredAt as Date).getTime()).toBe(when.getTime());
  });
});
