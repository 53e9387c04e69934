import { Database } from '@berth/core';
import { BulkRow, Employee, User } from '../context.js';
import { StubDriver } from '../harness/stub-driver.js';
import { STUB_CAPABILITIES, StubSql, stubWorkloads } from '../harness/stub-sql.js';

/**
 * A long loop of one stub workload's berth (or raw) side, for V8's tick profiler: `node --prof` maps JIT
 * code to JS functions, which callgrind cannot. Usage:
 * `node --prof --import tsx src/ab/call-path-profile.ts [workload] [raw|berth] [ops]`, then
 * `node --prof-process isolate-*.log`.
 */
process.setSourceMapsEnabled(false);
const name = process.argv[2] ?? 'findById';
const side = (process.argv[3] ?? 'berth') as 'raw' | 'berth';
const ops = Number(process.argv[4] ?? 1_000_000);
const driver = new StubDriver('postgres', STUB_CAPABILITIES, new StubSql());
const db = await Database.open(driver, {
  entities: [Employee, User, BulkRow],
  pool: { acquireTimeoutMs: 30_000 },
});
const workload = stubWorkloads(db, driver.connection)[name];
if (!workload) throw new Error(`no workload ${name}`);
const fn = workload[side];
for (let i = 0; i < ops; i++) await fn();
await db.close();
