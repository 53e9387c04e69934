/**
 * What binding values in server-side prepared statements (mysql2 `execute`, B) costs against mysql2's
 * client-side interpolation (`query`, A), through berth, on findById and insert. One process, one
 * connection, rounds alternated A-B-B-A so drift (a busy machine, a warming cache) falls on both sides;
 * CPU per operation from `process.cpuUsage()` (this process only: the client's cost) and throughput.
 *
 *   tsx --conditions=@berth/source scripts/measure-bound-values.ts [iterations per round] [repeats]
 *
 * Needs the MariaDB/MySQL test server (BERTH_MYSQL_URL, default mysql://root@127.0.0.1:3306).
 */
import { Database, defineEntity, field } from '@berth/core';
import { createConnection } from 'mysql2/promise';
import { MysqlDriver } from '../src/mysql-driver.js';
import { parseMysqlUrl } from '../src/mysql-url.js';

const ITERATIONS = Number(process.argv[2] ?? 2_000);
const REPEATS = Number(process.argv[3] ?? 3);
const SERVER = (process.env.BERTH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const DATABASE = `berth_measure${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;

const Item = defineEntity('bound_value_items', {
  id: field.id(),
  label: field.string({ max: 100 }),
  amount: field.integer(),
  active: field.boolean(),
  at: field.datetime(),
});

type Mode = 'A query' | 'B execute';
type Native = { execute: unknown; query: (...args: unknown[]) => unknown };

async function main(): Promise<void> {
  const location = parseMysqlUrl(`${SERVER}/${DATABASE}`);
  const admin = await createConnection({ host: location.host, port: location.port, user: location.user });
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${DATABASE}\``);
  const driver = new MysqlDriver({ ...parseMysqlUrl(`${SERVER}/${DATABASE}`), max: 1 });
  const db = await Database.open(driver, { entities: [Item] });
  await db.ensureSchema();
  const repo = db.repository(Item);
  const seeded = await repo.insert({ label: 'seed', amount: 1, active: true, at: new Date() });
  // The one connection's mysql2 wrapper: mode A routes `execute` to `query`, as before the change.
  const lease = await db.pool.acquire();
  const native = (lease.connection as unknown as { native: Native }).native;
  await db.pool.release(lease);
  const setMode = (mode: Mode) => {
    if (mode === 'A query') native.execute = native.query;
    else delete (native as { execute?: unknown }).execute;
  };

  const workloads = {
    findById: () => repo.findById(seeded.id),
    insert: () => repo.insert({ label: "it's a value", amount: 42, active: false, at: new Date() }),
  };
  const totals = new Map<string, { cpuUs: number; wallMs: number; ops: number }>();
  for (const [name, work] of Object.entries(workloads)) {
    setMode('B execute');
    for (let i = 0; i < 200; i++) await work(); // warm both paths and the statement cache
    setMode('A query');
    for (let i = 0; i < 200; i++) await work();
    for (let r = 0; r < REPEATS; r++) {
      for (const mode of ['A query', 'B execute', 'B execute', 'A query'] as const) {
        setMode(mode);
        const cpu = process.cpuUsage();
        const started = performance.now();
        for (let i = 0; i < ITERATIONS; i++) await work();
        const wallMs = performance.now() - started;
        const used = process.cpuUsage(cpu);
        const key = `${name} ${mode}`;
        const total = totals.get(key) ?? { cpuUs: 0, wallMs: 0, ops: 0 };
        total.cpuUs += used.user + used.system;
        total.wallMs += wallMs;
        total.ops += ITERATIONS;
        totals.set(key, total);
      }
    }
  }
  setMode('B execute');
  for (const [key, t] of totals) {
    console.log(
      `${key.padEnd(22)} ${(t.cpuUs / t.ops).toFixed(1).padStart(7)} us CPU/op  ${((t.ops / t.wallMs) * 1_000).toFixed(0).padStart(6)} ops/s  (${t.ops} ops)`,
    );
  }
  await db.close(1_000);
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.end();
}

await main();
