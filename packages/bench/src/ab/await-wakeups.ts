import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { MAX_SALARY } from '../../../../apps/api/src/entities.js';
import {
  type BackendName,
  createDatabases,
  DEPARTMENTS,
  dropDatabases,
  Employee,
  openBerth,
  rawPgPool,
  seed,
} from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { log } from '../harness/log.js';
import { departmentStats, type Raise, setBasedRaw } from '../raw/set-based-raw.js';
import { openRaw } from '../workloads/common.js';

/**
 * What the process does while one slow statement is awaited: `SELECT pg_sleep(s)` through berth's `db.sql`
 * or through a raw `pg.Pool` with berth's pool settings, one caller, one statement at a time. Per thread of
 * the process it reports, per statement, the CPU time and the number of times the thread was scheduled
 * (`/proc/self/task/<tid>/schedstat`) and its voluntary and involuntary context switches (`status`): counts
 * that do not depend on the machine's load, unlike the CPU time beside them.
 *
 * With `aggregate` in place of the sleep it runs B9's aggregate of one department instead (berth's
 * `aggregate`; the raw baseline's statement; `raw-berth-sql`: the raw pool sending berth's statement), and
 * with `raise` B9's bounded raise (berth's `updateMany`; the raw baseline's), also on MySQL/MariaDB with
 * `AWAIT_WAKEUPS_BACKEND=mysql`.
 *
 * Usage: `tsx src/ab/await-wakeups.ts berth|raw|raw-berth-sql [statements] [sleepMs|aggregate] [warmup]`
 * (`pnpm --filter @berth/bench bench:await-wakeups ...` builds first). With `AWAIT_WAKEUPS_PAUSE=1`
 * it prints `READY <pid>` after the warm-up and waits for SIGUSR2 before the measured statements, and prints
 * `DONE` and waits for SIGUSR2 again after them, so `strace -f -c -p <pid>` can be attached to the measured
 * statements only; with `AWAIT_WAKEUPS_GATE=<path>` it waits for the files `<path>.go` and `<path>.end`
 * instead, so `callgrind_control -i on|off <pid>` can count the instructions of the measured statements
 * under `valgrind --tool=callgrind --instr-atstart=no`. Set `BENCH_DB_SUFFIX` for a database of its own.
 */
process.setSourceMapsEnabled(false);

type Side = 'berth' | 'raw' | 'raw-berth-sql';

/** berth's aggregate statement on PostgreSQL, as it sends it, for the raw driver to send (`raw-berth-sql`). */
const BERTH_PG_STATS =
  'SELECT "department", COUNT(*) AS "agg_0", COALESCE(SUM("salary"), 0) AS "agg_1", ' +
  'CAST(AVG("salary") AS double precision) AS "agg_2" FROM "employees" WHERE "department" = $1 ' +
  'GROUP BY "department" ORDER BY "department" ASC';

interface ThreadSample {
  name: string;
  cpuNs: number;
  slices: number;
  voluntary: number;
  involuntary: number;
}

function threads(): Map<string, ThreadSample> {
  const out = new Map<string, ThreadSample>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const dir = `/proc/self/task/${tid}`;
      const [cpuNs, , slices] = readFileSync(`${dir}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      const status = readFileSync(`${dir}/status`, 'utf8');
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      out.set(tid, {
        name: readFileSync(`${dir}/comm`, 'utf8').trim(),
        cpuNs: cpuNs!,
        slices: slices!,
        voluntary: field('voluntary_ctxt_switches'),
        involuntary: field('nonvoluntary_ctxt_switches'),
      });
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return out;
}

/**
 * Waits for SIGUSR2, or with `AWAIT_WAKEUPS_GATE=<path>` for the file `<path>.<step>` to exist (polled every
 * 50 ms: a tool that acts only while the process runs code, as `callgrind_control` does, needs it running).
 */
async function gate(step: string): Promise<void> {
  const path = process.env.AWAIT_WAKEUPS_GATE;
  if (path === undefined) return new Promise((resolve) => process.once('SIGUSR2', () => resolve()));
  while (!existsSync(`${path}.${step}`)) await new Promise((resolve) => setTimeout(resolve, 50));
}

const side = process.argv[2] as Side;
if (side !== 'berth' && side !== 'raw' && side !== 'raw-berth-sql')
  throw new Error('first argument: berth, raw or raw-berth-sql');
const statements = Number(process.argv[3] ?? 200);
/** Milliseconds of `pg_sleep`, or `aggregate` / `raise` for B9's aggregate / bounded raise of one department. */
const what = process.argv[4] ?? '60';
const warmup = Number(process.argv[5] ?? 200);
const pause = process.env.AWAIT_WAKEUPS_PAUSE === '1' || process.env.AWAIT_WAKEUPS_GATE !== undefined;

/** `AWAIT_WAKEUPS_BACKEND=mysql` runs the aggregate or the raise on MySQL/MariaDB (no `pg_sleep` there). */
const backend: BackendName = process.env.AWAIT_WAKEUPS_BACKEND === 'mysql' ? 'mysql' : 'postgres';
const aggregate = what === 'aggregate';
const raise = what === 'raise';
if (backend === 'mysql' && (side === 'raw-berth-sql' || !(aggregate || raise)))
  throw new Error('on mysql: berth or raw, with aggregate or raise');

log(describeBerthOrigin());
await createDatabases([backend]);
const POOL = 4;
// The table, with a few rows of the department read or raised (the client's work is about the same for
// 2,000 rows as for 5: one row or one count comes back).
if (aggregate || raise) await seed(backend, 50);
const db = side === 'berth' ? await openBerth(backend, { max: POOL }) : undefined;
const pool = side === 'berth' || (side === 'raw' && (aggregate || raise)) ? undefined : rawPgPool(POOL);
const department = DEPARTMENTS[0]!;
const RAISE: Raise = { department, factor: 1, min: 0, max: MAX_SALARY };
const rawDriver = side === 'raw' && (aggregate || raise) ? openRaw(backend, POOL, 'unprepared') : undefined;
const hand = rawDriver === undefined ? undefined : setBasedRaw(rawDriver);
const berthRaise = () =>
  db!
    .repository(Employee)
    .updateMany({ department }, { salary: { multiply: RAISE.factor, round: 'half-away-from-zero' } });
const ops: Record<Side, (seconds: number) => () => Promise<unknown>> = {
  berth: (seconds) =>
    raise
      ? berthRaise
      : aggregate
        ? async () => {
            const [row] = await db!.repository(Employee).aggregate({
              where: { department },
              groupBy: ['department'],
              count: true,
              sum: ['salary'],
              avg: ['salary'],
            });
            return departmentStats({ ...row!, sum: row!.sum.salary, avg: row!.avg.salary });
          }
        : () => db!.sql`SELECT pg_sleep(${seconds})`,
  raw: (seconds) =>
    raise
      ? () => hand!.raise(RAISE)
      : aggregate
        ? () => hand!.stats(department)
        : () => pool!.query('SELECT pg_sleep($1)', [seconds]),
  'raw-berth-sql': (seconds) =>
    aggregate
      ? async () => {
          const { rows } = await pool!.query(BERTH_PG_STATS, [department]);
          const row = rows[0]!;
          return departmentStats({
            department: row.department,
            count: row.agg_0,
            sum: row.agg_1,
            avg: row.agg_2,
          });
        }
      : () => pool!.query('SELECT pg_sleep($1)', [seconds]),
};
const run = ops[side](Number(what) / 1_000);
try {
  // Warm-up (at no sleep), so the JIT has settled on the path before the measured statements.
  const warm = ops[side](0);
  for (let i = 0; i < warmup; i++) await warm();
  if (pause) {
    const resume = gate('go');
    console.log(`READY ${process.pid}`);
    await resume;
  }
  const before = threads();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < statements; i++) await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const after = threads();
  if (pause) {
    const resume = gate('end');
    console.log('DONE');
    await resume;
  }
  const per = (n: number) => (n / statements).toFixed(2);
  log(
    `${backend} ${side}: ${statements} × ${aggregate || raise ? what : `pg_sleep(${Number(what) / 1_000})`}, ${(wallMs / statements).toFixed(1)} ms wall per statement, ` +
      `process CPU ${per(used.user + used.system)} µs per statement (user ${per(used.user)}, system ${per(used.system)})`,
  );
  for (const [tid, a] of after) {
    const b = before.get(tid) ?? { name: a.name, cpuNs: 0, slices: 0, voluntary: 0, involuntary: 0 };
    const slices = a.slices - b.slices;
    if (slices === 0 && a.cpuNs === b.cpuNs) continue;
    log(
      `  thread ${tid} ${a.name}: CPU ${per((a.cpuNs - b.cpuNs) / 1_000)} µs, scheduled ${per(slices)}×, ` +
        `voluntary switches ${per(a.voluntary - b.voluntary)}, involuntary ${per(a.involuntary - b.involuntary)} per statement`,
    );
  }
} finally {
  await db?.close();
  await pool?.end();
  await rawDriver?.close();
  await dropDatabases([backend]);
}
