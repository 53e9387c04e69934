import { createHook } from 'node:async_hooks';
import type { Database } from '@berth/core';
import {
  createDatabases,
  dropDatabases,
  Employee,
  locations,
  openBerth,
  openBerthWithReplicas,
  seed,
} from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { log } from '../harness/log.js';
import { median } from '../harness/stats.js';

log(describeBerthOrigin());

/**
 * B10's routing cost alone: CPU per findById (user + system, `process.cpuUsage()`) through berth without
 * replicas (A) and through berth with the primary configured as its own replica (B, every read routed),
 * alternating A-B-B-A in one process, each read in a fresh causal session as B10 reads, `callers` at once
 * on pool 8 per server. Then the promises each read makes on either side (an `async_hooks` init hook,
 * switched on only for that count, so it does not weigh on the CPU figures).
 * Usage: `pnpm --filter @berth/bench bench:routed-cpu [callers] [rounds] [opsPerBlock]` (PostgreSQL; set
 * `BENCH_DB_SUFFIX` so concurrent runs on a shared server use their own database).
 */
process.setSourceMapsEnabled(false);

const POOL = 8;

type Read = (i: number) => Promise<unknown>;

function reader(db: Database, ids: readonly string[]): Read {
  const repo = db.repository(Employee);
  return (i) => db.withSession(undefined, () => repo.findById(ids[(i * 7919) % ids.length]!));
}

/** Runs `ops` reads from `callers` concurrent loops; CPU µs per read. */
async function block(read: Read, callers: number, ops: number, offset: number): Promise<number> {
  let next = 0;
  const cpu = process.cpuUsage();
  const loop = async () => {
    while (next < ops) await read(offset + next++);
  };
  await Promise.all(Array.from({ length: callers }, loop));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / ops;
}

/** Promises created per read (async_hooks `PROMISE` inits) over `ops` reads from `callers` loops. */
async function promisesPerRead(read: Read, callers: number, ops: number): Promise<number> {
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') promises++;
    },
  });
  let next = 0;
  const loop = async () => {
    while (next < ops) await read(next++);
  };
  hook.enable();
  try {
    await Promise.all(Array.from({ length: callers }, loop));
  } finally {
    hook.disable();
  }
  return promises / ops;
}

const callers = Number(process.argv[2] ?? 32);
const rounds = Number(process.argv[3] ?? 6);
const ops = Number(process.argv[4] ?? 4_000);

await createDatabases(['postgres']);
const data = await seed('postgres', 5_000);
const plain = await openBerth('postgres', { max: POOL });
const routed = await openBerthWithReplicas('postgres', POOL, [locations().postgres.port]);
try {
  const sides = { A: reader(plain, data.employeeIds), B: reader(routed, data.employeeIds) };
  for (const s of ['A', 'B', 'A', 'B'] as const) await block(sides[s], callers, ops, 0);
  const per: Record<'A' | 'B', number[]> = { A: [], B: [] };
  let offset = 1_000;
  for (let r = 0; r < rounds; r++) {
    for (const s of ['A', 'B', 'B', 'A'] as const) {
      per[s].push(await block(sides[s], callers, ops, offset));
      offset += ops;
    }
  }
  const a = median(per.A);
  const b = median(per.B);
  const ratios = per.B.map((v, k) => v / per.A[k]!);
  log(
    `postgres findById, ${callers} callers, pool ${POOL}: plain ${a.toFixed(1)} µs, routed ${b.toFixed(1)} µs CPU/read, routed÷plain ${(b / a).toFixed(3)}× (median of rounds ${median(ratios).toFixed(3)}×, rounds ${Math.min(...ratios).toFixed(3)}×–${Math.max(...ratios).toFixed(3)}×)`,
  );
  const pa = await promisesPerRead(sides.A, callers, 2_000);
  const pb = await promisesPerRead(sides.B, callers, 2_000);
  log(`promises per read: plain ${pa.toFixed(2)}, routed ${pb.toFixed(2)}`);
  const stats = routed.replicaStats()!;
  log(
    `routed: the replica served ${stats.replicaReads} reads, the primary ${stats.primaryReadsLagging + stats.primaryReadsUnavailable}`,
  );
} finally {
  await plain.close();
  await routed.close();
  await dropDatabases(['postgres']);
}
