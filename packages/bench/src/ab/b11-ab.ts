import { createDatabases, dropDatabases, openBerth, rawPgPool } from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { log } from '../harness/log.js';
import { median } from '../harness/stats.js';
import { berthOrders, rawOrders, seedOrders } from '../workloads/b11-model.js';

log(describeBerthOrigin());

/**
 * B11's 100-order read, CPU per op (`process.cpuUsage()`), berth `include` against the hand-written raw
 * select-ins, A-B-B-A in one process on `callers` concurrent callers (default 1; pool 8, PostgreSQL). First prints the statements each side
 * sends for one read (text, parameter count, rows) so the two can be checked to do the same work.
 * Usage: `tsx --conditions=@berth/source src/ab/b11-ab.ts [rounds] [opsPerBlock] [orders] [callers]` in
 * packages/bench; set `BENCH_DB_SUFFIX`. `B11_AB_ONLY=A` (raw) or `B` (berth) times one side only, to profile it
 * (`node --conditions=@berth/source --import tsx --cpu-prof src/ab/b11-ab.ts ...`).
 */
process.setSourceMapsEnabled(false);
const rounds = Number(process.argv[2] ?? 4);
const ops = Number(process.argv[3] ?? 200);
const size = Number(process.argv[4] ?? 100);
const callers = Number(process.argv[5] ?? 1);

await createDatabases(['postgres']);
const db = await openBerth('postgres', { max: 8 });
const pool = rawPgPool(8);
try {
  const ids = await seedOrders(db);
  const batchAt = (i: number) => {
    const start = (i * 7919) % (ids.length - size + 1);
    return ids.slice(start, start + size);
  };
  const seen: string[] = [];
  const listener = (e: { statement: string; parameterCount: number; rows?: number }) =>
    seen.push(`  berth: ${e.statement} [${e.parameterCount} params, ${e.rows} rows]`);
  db.on('query', listener);
  await berthOrders(db, batchAt(3));
  db.off('query', listener);
  log(seen.join('\n'));
  const a = JSON.stringify(await rawOrders(pool, batchAt(3)));
  const b = JSON.stringify(await berthOrders(db, batchAt(3)));
  log(`same result: ${a === b} (${a.length} chars)`);
  const sides = {
    A: (i: number) => rawOrders(pool, batchAt(i)),
    B: (i: number) => berthOrders(db, batchAt(i)),
  };
  const system: Record<'A' | 'B', number[]> = { A: [], B: [] };
  const block = async (side: 'A' | 'B', offset: number) => {
    const cpu = process.cpuUsage();
    let next = 0;
    const caller = async () => {
      while (next < ops) await sides[side](offset + next++);
    };
    await Promise.all(Array.from({ length: callers }, caller));
    const used = process.cpuUsage(cpu);
    system[side].push(used.system / ops);
    return (used.user + used.system) / ops;
  };
  for (const s of ['A', 'B'] as const) await block(s, 0);
  const per: Record<'A' | 'B', number[]> = { A: [], B: [] };
  let offset = 1_000;
  for (let r = 0; r < rounds; r++)
    for (const s of process.env.B11_AB_ONLY
      ? [process.env.B11_AB_ONLY as 'A' | 'B']
      : (['A', 'B', 'B', 'A'] as const)) {
      per[s].push(await block(s, offset));
      offset += ops;
    }
  if (!process.env.B11_AB_ONLY) {
    const ra = median(per.A);
    const rb = median(per.B);
    const ratios = per.B.map((v, k) => v / per.A[k]!);
    log(
      `B11 ${size} orders, ${callers} callers: raw ${(ra / 1000).toFixed(2)} ms, berth ${(rb / 1000).toFixed(2)} ms CPU/op, berth÷raw ${(rb / ra).toFixed(2)}× (of which system: raw ${(median(system.A) / 1000).toFixed(2)} ms, berth ${(median(system.B) / 1000).toFixed(2)} ms; rounds ${Math.min(...ratios).toFixed(2)}×–${Math.max(...ratios).toFixed(2)}×)`,
    );
  }
} finally {
  await db.close();
  await pool.end();
  await dropDatabases(['postgres']);
}
