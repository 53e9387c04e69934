import { createDatabases, openBerth, rawPgPool } from '../context.js';
import { log } from '../harness/log.js';
import { berthOrders, rawOrders, seedOrders } from '../workloads/b11-model.js';

/**
 * B11's 100-order read for an instruction count: one side (`raw` or `berth`) runs `warmUp` reads, then
 * `ops` more, on `callers` concurrent callers (pool 8, PostgreSQL), and exits. Run it twice under
 * `valgrind --tool=callgrind` with two values of `ops` and the same warm-up: the difference of the two
 * totals over the difference of `ops` is the instructions per read, start-up and warm-up cancelled out.
 * `seed` creates and fills the database (not dropped: the counted runs read it; `dropdb` it afterwards).
 * Usage: `tsx --conditions=@berth/source src/ab/b11-count.ts seed|raw|berth [ops] [orders] [callers]
 * [warmUp]` in packages/bench; set `BENCH_DB_SUFFIX`.
 */
process.setSourceMapsEnabled(false);
const side = process.argv[2];
const ops = Number(process.argv[3] ?? 200);
const size = Number(process.argv[4] ?? 100);
const callers = Number(process.argv[5] ?? 1);
const warmUp = Number(process.argv[6] ?? 300);

if (side === 'seed') {
  await createDatabases(['postgres']);
  const db = await openBerth('postgres', { max: 1 });
  try {
    log(`seeded ${(await seedOrders(db)).length} orders`);
  } finally {
    await db.close();
  }
} else if (side === 'raw' || side === 'berth') {
  const pool = rawPgPool(8);
  // Both sides open berth and read once through it: B11 runs both in one process, where pg's row parsing has
  // seen berth's start-up statements too (its inline caches go megamorphic for both sides alike).
  const db = await openBerth('postgres', { max: 8 });
  try {
    const { rows } = await pool.query('SELECT "id" FROM "bench_rel_orders" ORDER BY "id"');
    const ids = rows.map((r) => r.id as string);
    await berthOrders(db, ids.slice(0, size));
    const batchAt = (i: number) => {
      const start = (i * 7919) % (ids.length - size + 1);
      return ids.slice(start, start + size);
    };
    const read =
      side === 'berth'
        ? (i: number) => berthOrders(db, batchAt(i))
        : (i: number) => rawOrders(pool, batchAt(i));
    const run = async (count: number, offset: number) => {
      let next = 0;
      const caller = async () => {
        while (next < count) await read(offset + next++);
      };
      await Promise.all(Array.from({ length: callers }, caller));
    };
    await run(warmUp, 0);
    await run(ops, 100_000);
    log(`${side}: ${warmUp} + ${ops} reads of ${size} orders on ${callers} callers`);
  } finally {
    await db.close();
    await pool.end();
  }
} else {
  throw new Error('usage: b11-count.ts seed|raw|berth [ops] [orders] [callers] [warmUp]');
}
