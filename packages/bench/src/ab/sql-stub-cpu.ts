import { Database, encodeCursor, parseOrderBy } from '@berth/core';
import { postgresDialect, SqlConnection, type SqlResult } from '@berth/sql';
import { BulkRow, Employee } from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { log } from '../harness/log.js';
import { StubDriver } from '../harness/stub-driver.js';
import { median } from '../harness/stats.js';

log(describeBerthOrigin());

/**
 * berth's own CPU per operation, core and SQL layers together, with no database: a `SqlConnection` whose
 * `execute` answers at once with canned driver rows (as pg returns them), behind berth's pool with its
 * default options. Against it, the "raw" side calls the same `execute` with the statement text a raw user
 * would write and maps the rows by hand: what a raw driver's caller pays above the driver. The difference
 * is berth's overhead per call, measured in CPU time (`process.cpuUsage`), so it stays readable on a
 * loaded machine. Usage: `pnpm --filter @berth/bench bench:stub-cpu [rounds] [opsPerBlock] [workload]`.
 */
process.setSourceMapsEnabled(false);

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
const BULK = Array.from({ length: 10_000 }, (_, i) => ({
  name: `Bulk ${i}`,
  email: `b${i}@example.com`,
  department: 'dept-1',
  salary: 30_000 + i,
  active: true,
  hiredAt: NOW,
}));
const PAGE = Array.from({ length: 21 }, (_, i) => driverRow(i + 2));

class StubSql extends SqlConnection {
  readonly id = 'stub-sql';
  constructor() {
    super(postgresDialect);
  }
  protected execute(sql: string, _params: unknown[]): Promise<SqlResult> {
    if (sql.startsWith('SELECT COUNT') || sql.startsWith('SELECT count'))
      return Promise.resolve({ rows: AGGREGATE, affectedRows: 0 });
    if (sql.startsWith('WITH')) return Promise.resolve({ rows: MODIFIED, affectedRows: 0 });
    if (sql.startsWith('SELECT'))
      return Promise.resolve({ rows: sql.includes('LIMIT 21') ? PAGE : ONE, affectedRows: 0 });
    if (sql.startsWith('UPDATE')) return Promise.resolve({ rows: ONE, affectedRows: 1 });
    return Promise.resolve({ rows: [], affectedRows: 1 });
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
const STUB_CAPABILITIES = {
  multipleConnections: true,
  transactions: true,
  savepoints: true,
  returning: true,
};

function toEmployee(r: Record<string, unknown>) {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    department: r.department,
    salary: Number(r.salary),
    active: r.active,
    hiredAt: r.hiredAt,
    managerId: r.managerId,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const ID = '0190a3c5-0000-7000-8000-000000000001';
const ORDER = parseOrderBy(Employee, '-salary');
const CURSOR = encodeCursor(ORDER, { salary: 90_000, id: ID });

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const opsArg = Number(process.argv[3] ?? 20_000);
  const driver = new StubDriver('postgres', STUB_CAPABILITIES, new StubSql());
  const db = await Database.open(driver, {
    entities: [Employee, BulkRow],
    pool: { acquireTimeoutMs: 30_000 },
  });
  const repo = db.repository(Employee);
  const raw = driver.connection;
  const workloads: Record<string, { raw: () => Promise<unknown>; berth: () => Promise<unknown> }> = {
    findById: {
      raw: async () => {
        const { rows } = await raw.direct('SELECT "id" FROM "employees" WHERE "id" = $1 LIMIT 1', [ID]);
        return rows[0] ? toEmployee(rows[0]) : null;
      },
      berth: () => repo.findById(ID),
    },
    page: {
      raw: async () => {
        const { rows } = await raw.direct('SELECT x LIMIT 21', ['dept-1', true, 90_000, 90_000, ID]);
        return rows.slice(0, 20).map(toEmployee);
      },
      berth: async () =>
        (
          await repo.find({
            where: { department: 'dept-1', active: true },
            orderBy: '-salary',
            limit: 20,
            cursor: CURSOR,
          })
        ).items,
    },
    insert: {
      raw: async () => {
        await raw.direct('INSERT INTO "employees" VALUES ($1)', [
          crypto.randomUUID(),
          'n',
          'e',
          'd',
          1,
          true,
          NOW,
          1,
          NOW,
          NOW,
        ]);
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
    update: {
      raw: async () => {
        const r = await raw.direct('UPDATE "employees" SET x', [2, 2, new Date(), ID, 1]);
        if (r.affectedRows !== 1) throw new Error('lost');
      },
      berth: () => repo.update(ID, { salary: 2 }, { expectedVersion: 1 }),
    },
    delete: {
      raw: async () => {
        const r = await raw.direct('DELETE FROM "employees" WHERE x', [ID, 1]);
        if (r.affectedRows !== 1) throw new Error('lost');
      },
      berth: () => repo.delete(ID, { expectedVersion: 1 }),
    },
    aggregate: {
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
      raw: async () => {
        const { rows } = await raw.direct('WITH raw update', ['dept-1']);
        return Number(rows[0]!.modified);
      },
      berth: () =>
        repo.updateMany({ department: 'dept-1' }, { salary: { multiply: 1, round: 'half-away-from-zero' } }),
    },
    // One operation is 10k rows: the raw side builds complete rows and sends 1000-row INSERTs in a
    // transaction (as the bench's raw baseline), berth persists each in a unit of work and flushes.
    bulk: {
      raw: async () => {
        const now = new Date();
        await raw.direct('BEGIN', []);
        for (let start = 0; start < BULK.length; start += 1000) {
          const values: unknown[] = [];
          for (const d of BULK.slice(start, start + 1000))
            values.push(
              crypto.randomUUID(),
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
          await raw.direct('INSERT INTO "bench_bulk" VALUES ...', values);
        }
        await raw.direct('COMMIT', []);
      },
      berth: async () => {
        const uow = db.unitOfWork();
        for (const d of BULK) uow.persist(BulkRow, d);
        await uow.flush();
      },
    },
  };
  const only = process.argv[4];
  for (const [name, w] of Object.entries(workloads)) {
    if (only !== undefined && !only.split(',').includes(name)) continue;
    // Bulk operations are 10k rows each: a block of them is `ops / 1000` operations.
    const ops = name === 'bulk' ? Math.max(2, Math.round(opsArg / 1000)) : opsArg;
    const block = async (fn: () => Promise<unknown>) => {
      const cpu = process.cpuUsage();
      for (let i = 0; i < ops; i++) await fn();
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / ops;
    };
    await block(w.raw);
    await block(w.berth);
    const overheads: number[] = [];
    const berths: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const a1 = await block(w.raw);
      const b1 = await block(w.berth);
      const b2 = await block(w.berth);
      const a2 = await block(w.raw);
      overheads.push((b1 + b2 - a1 - a2) / 2);
      berths.push((b1 + b2) / 2);
    }
    log(
      `${name}: berth ${median(berths).toFixed(2)} µs CPU/op, above raw ${median(overheads).toFixed(2)} µs (rounds ${Math.min(...overheads).toFixed(2)}–${Math.max(...overheads).toFixed(2)} µs)`,
    );
  }
  await db.close();
}

await main();
