import { type Database, encodeCursor, parseOrderBy, uuidv7 } from '@berth/core';
import { postgresDialect, type SqlArrayResult, SqlConnection, type SqlResult } from '@berth/sql';
import { BulkRow, Employee, User } from '../context.js';
import { pgRowToEmployee } from '../raw/pg-raw.js';

/**
 * A PostgreSQL `SqlConnection` whose `execute` answers at once with canned driver rows (as pg returns
 * them): berth's core and SQL layers run in full, with no database. The database-free CPU and instruction
 * scripts (`src/ab/sql-stub-cpu.ts`, `src/ab/stub-instructions.ts`) put it under berth's pool.
 */

const NOW = new Date('2024-01-01T00:00:00.000Z');

function driverRow(i: number): Record<string, unknown> {
  return {
    id: `0190a3c5-0000-7000-8000-${String(i).padStart(12, '0')}`,
    name: `Employee ${i}`,
    email: `e${i}@example.com`,
    department: 'dept-1',
    salary: String(100_000 - i),
    active: true,
    hiredAt: NOW,
    managerId: null,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  };
}
const ONE = [driverRow(1)];
/** An aggregate's row as pg returns it (count and sum as text, avg as a double). */
const AGGREGATE = [{ agg_0: '10000', agg_1: '1150000000', agg_2: 115000.5 }];
/** A guarded set-based update's answer. */
const MODIFIED = [{ modified: '2000', outside: '0' }];
/** Rows per bulk operation (B5's size). */
export const BULK_ROWS = 10_000;
const BULK = Array.from({ length: BULK_ROWS }, (_, i) => ({
  name: `Bulk ${i}`,
  email: `b${i}@example.com`,
  department: 'dept-1',
  salary: 30_000 + i,
  active: true,
  hiredAt: NOW,
}));
const PAGE = Array.from({ length: 21 }, (_, i) => driverRow(i + 2));

/**
 * `rows` as pg's `rowMode: 'array'` returns them for `sql`: each row's values in the order the SELECT
 * lists its columns (read from the statement's text once, then kept per text, as canned as the rows).
 */
const arrayAnswers = new Map<string, Map<Record<string, unknown>[], unknown[][]>>();
function asArrays(sql: string, rows: Record<string, unknown>[]): unknown[][] {
  let bySql = arrayAnswers.get(sql);
  if (!bySql) {
    bySql = new Map();
    arrayAnswers.set(sql, bySql);
  }
  let arrays = bySql.get(rows);
  if (!arrays) {
    const list = sql.slice('SELECT '.length, sql.indexOf(' FROM '));
    const columns = list.split(', ').map((c) => c.replaceAll('"', ''));
    for (const c of columns)
      if (rows.length > 0 && !Object.hasOwn(rows[0]!, c)) throw new Error(`stub: no column ${c}`);
    arrays = rows.map((row) => columns.map((c) => row[c]));
    bySql.set(rows, arrays);
  }
  return arrays;
}

/** The canned-answer connection. `direct` is the raw side's entry: the same primitive, called directly. */
export class StubSql extends SqlConnection {
  readonly id = 'stub-sql';
  constructor() {
    super(postgresDialect);
  }
  protected execute(sql: string, _params: unknown[]): Promise<SqlResult> {
    return Promise.resolve(this.#answer(sql));
  }
  /** What pg's `rowMode: 'array'` answers berth's reads with (the PostgreSQL connection reads so). */
  protected override executeArrays(sql: string, _params: unknown[]): Promise<SqlArrayResult> {
    const result = this.#answer(sql);
    return Promise.resolve({ rows: asArrays(sql, result.rows), affectedRows: result.affectedRows });
  }
  #answer(sql: string): SqlResult {
    if (sql.startsWith('SELECT COUNT') || sql.startsWith('SELECT count'))
      return { rows: AGGREGATE, affectedRows: 0 };
    if (sql.startsWith('WITH')) return { rows: MODIFIED, affectedRows: 0 };
    if (sql.startsWith('SELECT')) return { rows: sql.includes('LIMIT 21') ? PAGE : ONE, affectedRows: 0 };
    if (sql.startsWith('UPDATE')) return { rows: ONE, affectedRows: 1 };
    return { rows: [], affectedRows: 1 };
  }
  protected withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
  /** The raw side's entry: the same primitive, called directly. */
  direct(sql: string, params: unknown[]): Promise<SqlResult> {
    return this.execute(sql, params);
  }
}

/** What the stub connection stands for: PostgreSQL's capabilities. */
export const STUB_CAPABILITIES = {
  multipleConnections: true,
  transactions: true,
  savepoints: true,
  returning: true,
};

/** The raw side's values for one new employee: a fresh UUIDv7 id, `now` as createdAt and updatedAt. */
function newEmployeeValues(now: Date): unknown[] {
  return [uuidv7(), 'n', 'e@example.com', 'd', 1, true, NOW, null, 1, now, now];
}

const ID = '0190a3c5-0000-7000-8000-000000000001';

/** One workload: the raw caller's version and berth's; `rows` is how many rows one operation writes. */
export interface StubWorkload {
  readonly raw: () => Promise<unknown>;
  readonly berth: () => Promise<unknown>;
  readonly rows: number;
}

/**
 * The stub workloads, berth (`db`, opened over a `StubDriver` holding `raw`) against the raw caller. Bulk
 * operations write `BULK_ROWS` rows each: the raw side builds complete rows (ids by berth's `uuidv7`, as
 * the bench's raw baseline does) and sends 1000-row INSERTs in a transaction.
 */
export function stubWorkloads(db: Database, raw: StubSql): Record<string, StubWorkload> {
  const repo = db.repository(Employee);
  const bulkRepo = db.repository(BulkRow);
  const order = parseOrderBy(Employee, '-salary');
  const cursor = encodeCursor(order, { salary: 90_000, id: ID });
  const rawBulk = async () => {
    const now = new Date();
    await raw.direct('BEGIN', []);
    for (let start = 0; start < BULK.length; start += 1000) {
      const values: unknown[] = [];
      for (let r = start; r < start + 1000; r++) {
        const d = BULK[r]!;
        values.push(
          uuidv7(),
          d.name,
          d.email,
          d.department,
          d.salary,
          d.active,
          d.hiredAt,
          null,
          1,
          now,
          now,
        );
      }
      await raw.direct('INSERT INTO "bench_bulk" VALUES ...', values);
    }
    await raw.direct('COMMIT', []);
  };
  return {
    findById: {
      rows: 1,
      raw: async () => {
        const { rows } = await raw.direct('SELECT "id" FROM "employees" WHERE "id" = $1 LIMIT 1', [ID]);
        return rows[0] ? pgRowToEmployee(rows[0]) : null;
      },
      berth: () => repo.findById(ID),
    },
    // Raw SQL through `db.sql` against the same statement sent straight to the connection: what berth adds
    // to a raw statement (pool, scope, compile, events), with no entity decoding on either side.
    sql: {
      rows: 1,
      raw: async () => (await raw.direct('SELECT "id" FROM "employees" WHERE "id" = $1 LIMIT 1', [ID])).rows,
      berth: () => db.sql`SELECT "id" FROM "employees" WHERE "id" = ${ID} LIMIT 1`,
    },
    page: {
      rows: 1,
      raw: async () => {
        const { rows } = await raw.direct('SELECT x LIMIT 21', ['dept-1', true, 90_000, 90_000, ID]);
        return rows.slice(0, 20).map(pgRowToEmployee);
      },
      berth: async () =>
        (
          await repo.find({
            where: { department: 'dept-1', active: true },
            orderBy: '-salary',
            limit: 20,
            cursor,
          })
        ).items,
    },
    insert: {
      rows: 1,
      raw: async () => {
        const now = new Date();
        await raw.direct('INSERT INTO "employees" VALUES ($1)', newEmployeeValues(now));
      },
      berth: () =>
        repo.insert({
          name: 'n',
          email: 'e@example.com',
          department: 'd',
          salary: 1,
          active: true,
          hiredAt: NOW,
        }),
    },
    // The raw side sends the single conditional UPDATE with RETURNING and maps the row, as berth returns it.
    update: {
      rows: 1,
      raw: async () => {
        const r = await raw.direct('UPDATE "employees" SET x RETURNING y', [2, 2, new Date(), ID, 1]);
        if (r.affectedRows !== 1) throw new Error('lost');
        return pgRowToEmployee(r.rows[0]!);
      },
      berth: () => repo.update(ID, { salary: 2 }, { expectedVersion: 1 }),
    },
    delete: {
      rows: 1,
      raw: async () => {
        const r = await raw.direct('DELETE FROM "employees" WHERE x', [ID, 1]);
        if (r.affectedRows !== 1) throw new Error('lost');
      },
      berth: () => repo.delete(ID, { expectedVersion: 1 }),
    },
    aggregate: {
      rows: 1,
      raw: async () => {
        const { rows } = await raw.direct('SELECT count(*) AS c, sum(salary) AS s, avg(salary) AS a', [
          'dept-1',
        ]);
        const r = rows[0]!;
        return { count: Number(r.agg_0), sum: Number(r.agg_1), avg: r.agg_2 };
      },
      berth: () =>
        repo.aggregate({ where: { department: 'dept-1' }, count: true, sum: ['salary'], avg: ['salary'] }),
    },
    updateMany: {
      rows: 1,
      raw: async () => {
        const { rows } = await raw.direct('WITH raw update', ['dept-1']);
        return Number(rows[0]!.modified);
      },
      berth: () =>
        repo.updateMany({ department: 'dept-1' }, { salary: { multiply: 1, round: 'half-away-from-zero' } }),
    },
    // B4's unit of work: read one employee and change it, add one employee and three users, flush. The raw
    // side is the naive transaction: the read, then one statement per row.
    unitOfWork: {
      rows: 5,
      raw: async () => {
        const { rows } = await raw.direct('SELECT "id" FROM "employees" WHERE "id" = $1 LIMIT 1', [ID]);
        const current = pgRowToEmployee(rows[0]!);
        const now = new Date();
        await raw.direct('BEGIN', []);
        await raw.direct('INSERT INTO "employees" VALUES ($1)', newEmployeeValues(now));
        for (let k = 0; k < 3; k++)
          await raw.direct('INSERT INTO "users" VALUES ($1)', [
            uuidv7(),
            `u${k}`,
            `U ${k}`,
            `u${k}@x.io`,
            1,
            now,
            now,
          ]);
        const r = await raw.direct('UPDATE "employees" SET x', [
          2,
          current.version + 1,
          now,
          ID,
          current.version,
        ]);
        if (r.affectedRows !== 1) throw new Error('lost');
        await raw.direct('COMMIT', []);
      },
      berth: async () => {
        const uow = db.unitOfWork();
        const row = await uow.findById(Employee, ID);
        row!.salary = 2;
        uow.persist(Employee, {
          name: 'n',
          email: 'e@example.com',
          department: 'd',
          salary: 1,
          active: true,
          hiredAt: NOW,
        });
        for (let k = 0; k < 3; k++)
          uow.persist(User, { username: `user${k}`, displayName: `U ${k}`, email: `u${k}@x.io` });
        await uow.flush();
      },
    },
    // B5: a unit of work of BULK_ROWS persisted rows and one flush.
    bulk: {
      rows: BULK_ROWS,
      raw: rawBulk,
      berth: async () => {
        const uow = db.unitOfWork();
        for (const d of BULK) uow.persist(BulkRow, d);
        await uow.flush();
      },
    },
    // The same rows through `insertMany`.
    insertMany: {
      rows: BULK_ROWS,
      raw: rawBulk,
      berth: () => bulkRepo.insertMany(BULK),
    },
  };
}
