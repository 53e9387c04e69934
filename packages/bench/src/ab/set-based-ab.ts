import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { MAX_SALARY } from '../../../../apps/api/src/entities.js';
import {
  type BackendName,
  createDatabases,
  DEPARTMENTS,
  dropDatabases,
  Employee,
  openBerth,
  seed,
} from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { log } from '../harness/log.js';
import { median } from '../harness/stats.js';
import { departmentStats, type Raise, setBasedRaw } from '../raw/set-based-raw.js';
import { rawEmployee } from '../workloads/b3-writes.js';
import { openRaw } from '../workloads/common.js';
import type { MysqlRaw } from '../raw/mysql-raw.js';
import type { PgRaw } from '../raw/pg-raw.js';
import type { RawDriver } from '../raw/raw.js';

log(describeBerthOrigin());

/**
 * CPU per operation (user + system, `process.cpuUsage()`) of B9's set-based statements in one process on
 * one caller, alternating A-B-C-C-B-A: A the raw driver with its own statement, B berth, C the raw driver
 * sending berth's statement text (`BERTH_STATS`; for the raise C is A), which tells what the statement
 * costs from what berth's client path costs. Workloads: the aggregate of one department and the bounded
 * raise of 2,000 rows. `SET_BASED_AB_PROFILE=<dir>` writes one CPU profile per side over one more block of
 * that side only (`node:inspector`), so seeding and the other side stay out of it.
 * Usage: `pnpm --filter @berth/bench bench:set-based-ab [postgres|mysql|both] [rounds] [opsPerBlock] [aggregate,raise]`.
 * Run it under `node --cpu-prof` to see where the difference goes. Set `BENCH_DB_SUFFIX` so concurrent runs
 * on a shared server use their own database.
 */
process.setSourceMapsEnabled(false);

type Op = 'aggregate' | 'raise';
const OPS: Op[] = ['aggregate', 'raise'];
const POOL = 4;
/** berth's aggregate statement as it sends it (see `compile-aggregate.ts`), for the raw driver to send. */
const BERTH_STATS: Record<BackendName, string> = {
  postgres:
    'SELECT "department", COUNT(*) AS "agg_0", COALESCE(SUM("salary"), 0) AS "agg_1", ' +
    'CAST(AVG("salary") AS double precision) AS "agg_2" FROM "employees" WHERE "department" = $1 ' +
    'GROUP BY "department" ORDER BY "department" ASC',
  mysql:
    'SELECT `department`, COUNT(*) AS `agg_0`, COALESCE(SUM(`salary`), 0) AS `agg_1`, ' +
    'AVG(CAST(`salary` AS double)) AS `agg_2` FROM `employees` WHERE `department` = ? ' +
    'GROUP BY `department` ORDER BY `department` ASC',
};

async function rawRows(raw: RawDriver, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  if (raw.backend === 'postgres') return (await (raw as PgRaw).pool.query(sql, params)).rows;
  const [rows] = await (raw as MysqlRaw).pool.query(sql, params);
  return rows as Record<string, unknown>[];
}
const RAISE: Raise = { department: 'bench-ab-raise', factor: 1, min: 0, max: MAX_SALARY };

async function block(run: (i: number) => Promise<unknown>, ops: number, offset: number): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < ops; i++) await run(offset + i);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / ops;
}

async function measure(backend: BackendName, rounds: number, ops: number, only: Op[]): Promise<void> {
  await createDatabases([backend]);
  await seed(backend, 20_000);
  const raw = openRaw(backend, POOL, 'unprepared');
  const hand = setBasedRaw(raw);
  const db = await openBerth(backend, { max: POOL });
  const repo = db.repository(Employee);
  try {
    for (let i = 0; i < 2_000; i++)
      await raw.insert({ ...rawEmployee(i, 'ab'), department: RAISE.department });
    const department = (i: number) => DEPARTMENTS[i % DEPARTMENTS.length]!;
    const sides: Record<Op, Record<'A' | 'B' | 'C', (i: number) => Promise<unknown>>> = {
      aggregate: {
        A: (i) => hand.stats(department(i)),
        // The raw driver sending berth's own statement: tells the statement's cost from berth's client path.
        C: async (i) => {
          const rows = await rawRows(raw, BERTH_STATS[backend], [department(i)]);
          const row = rows[0]!;
          return departmentStats({
            department: row.department,
            count: row.agg_0,
            sum: row.agg_1,
            avg: row.agg_2,
          });
        },
        B: async (i) => {
          const [row] = await repo.aggregate({
            where: { department: department(i) },
            groupBy: ['department'],
            count: true,
            sum: ['salary'],
            avg: ['salary'],
          });
          return departmentStats({ ...row!, sum: row!.sum.salary, avg: row!.avg.salary });
        },
      },
      raise: {
        A: () => hand.raise(RAISE),
        C: () => hand.raise(RAISE),
        B: () =>
          repo.updateMany(
            { department: RAISE.department },
            { salary: { multiply: RAISE.factor, round: 'half-away-from-zero' } },
          ),
      },
    };
    for (const op of only) {
      const side = sides[op];
      for (const s of ['A', 'B', 'C'] as const) await block(side[s], Math.min(ops, 50), 0);
      const per: Record<'A' | 'B' | 'C', number[]> = { A: [], B: [], C: [] };
      let offset = 1_000;
      for (let r = 0; r < rounds; r++) {
        for (const s of ['A', 'B', 'C', 'C', 'B', 'A'] as const) {
          per[s].push(await block(side[s], ops, offset));
          offset += ops;
        }
      }
      const profile = process.env.SET_BASED_AB_PROFILE;
      if (profile) {
        // One profile per side over blocks of that side only, so the seeding and the other side stay out.
        const session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        for (const s of ['A', 'B'] as const) {
          await session.post('Profiler.start');
          await block(side[s], ops, offset);
          const { profile: p } = await session.post('Profiler.stop');
          writeFileSync(`${profile}/${backend}-${op}-${s}.cpuprofile`, JSON.stringify(p));
        }
        session.disconnect();
      }
      const a = median(per.A);
      const b = median(per.B);
      const c = median(per.C);
      const ratios = per.B.map((v, k) => v / per.A[k]!);
      log(
        `${backend} ${op}: raw ${a.toFixed(1)} µs, berth ${b.toFixed(1)} µs CPU/op, berth−raw ${(b - a).toFixed(1)} µs, berth÷raw ${(b / a).toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}×–${Math.max(...ratios).toFixed(2)}×); raw with berth's statement ${c.toFixed(1)} µs`,
      );
    }
  } finally {
    await db.close();
    await raw.close();
    await dropDatabases([backend]);
  }
}

const which = process.argv[2] ?? 'both';
const rounds = Number(process.argv[3] ?? 4);
const ops = Number(process.argv[4] ?? 200);
const only = (process.argv[5]?.split(',') ?? OPS) as Op[];
for (const op of only)
  if (!OPS.includes(op)) throw new Error(`unknown workload ${op}: one of ${OPS.join(', ')}`);
for (const backend of (which === 'both' ? ['postgres', 'mysql'] : [which]) as BackendName[]) {
  await measure(backend, rounds, ops, only);
}
