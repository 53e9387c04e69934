import { Database } from '@berth/core';
import { BulkRow, Employee, User } from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { log } from '../harness/log.js';
import { StubDriver } from '../harness/stub-driver.js';
import { STUB_CAPABILITIES, StubSql, stubWorkloads } from '../harness/stub-sql.js';
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

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const opsArg = Number(process.argv[3] ?? 20_000);
  const driver = new StubDriver('postgres', STUB_CAPABILITIES, new StubSql());
  const db = await Database.open(driver, {
    entities: [Employee, User, BulkRow],
    pool: { acquireTimeoutMs: 30_000 },
  });
  const workloads = stubWorkloads(db, driver.connection);
  const only = process.argv[4];
  for (const [name, w] of Object.entries(workloads)) {
    if (only !== undefined && !only.split(',').includes(name)) continue;
    // Bulk operations are 10k rows each: a block of them is `ops / 1000` operations.
    const ops = w.rows > 1_000 ? Math.max(2, Math.round(opsArg / 1000)) : opsArg;
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
