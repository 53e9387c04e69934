import { parseArgs } from 'node:util';
import { type BackendName, createDatabases, type Dataset, dropDatabases, seed } from './context.js';
import { log } from './harness/log.js';
import { generatePrismaClient } from './peers/prisma.js';
import { summarize, writeReports } from './report/write.js';
import { describeBerthOrigin } from './harness/berth-origin.js';
import { RunBudget } from './harness/budget.js';
import { enterWorkload, groupsSinceEnter } from './harness/group.js';
import { createSlowView } from './workloads/slow-view.js';
import type { ScalingPoint } from './workloads/common.js';
import type { FigureRecord, StepTiming } from './harness/types.js';
import { b1 } from './workloads/b1-find-by-id.js';
import { b2 } from './workloads/b2-keyset-page.js';
import { b3 } from './workloads/b3-writes.js';
import { b4 } from './workloads/b4-unit-of-work.js';
import { b5 } from './workloads/b5-bulk-insert.js';
import { b6 } from './workloads/b6-pool-scaling.js';
import { b7 } from './workloads/b7-http.js';
import { b8 } from './workloads/b8-stub-overhead.js';
import { b9 } from './workloads/b9-set-based.js';
import { b10 } from './workloads/b10-read-scaling.js';
import { b11 } from './workloads/b11-relations.js';

const WORKLOADS = {
  B1: b1,
  B2: b2,
  B3: b3,
  B4: b4,
  B5: b5,
  B6: b6,
  B7: b7,
  B8: b8,
  B9: b9,
  B10: b10,
  B11: b11,
} as const;
type WorkloadId = keyof typeof WORKLOADS;

/**
 * Each workload's share of the run's time budget, per backend (relative weights, from the groups' wall times
 * of earlier runs: B1 and B2 run five peers on PostgreSQL, B6 six pool sizes on two queries, B5 its bulk
 * inserts). MySQL/MariaDB runs no peers, so its shares are smaller. Time a workload does not use passes to
 * the ones after it.
 */
const WEIGHTS: Record<WorkloadId, { postgres: number; mysql: number }> = {
  B1: { postgres: 3, mysql: 1.5 },
  B2: { postgres: 2, mysql: 1 },
  B3: { postgres: 1.5, mysql: 1.5 },
  B4: { postgres: 0.8, mysql: 0.8 },
  B5: { postgres: 2.5, mysql: 1.5 },
  B6: { postgres: 2.5, mysql: 2.5 },
  B7: { postgres: 1, mysql: 1 },
  B8: { postgres: 0.5, mysql: 0 },
  B9: { postgres: 1.5, mysql: 1 },
  B10: { postgres: 1, mysql: 0.5 },
  B11: { postgres: 1.5, mysql: 0 },
};
/** Seeding a backend, in the same weights (100k rows full, 20k quick). */
const SEED_WEIGHT = 0.5;
/**
 * The run's budget in minutes: the full run must end within 20, the quick one within 10; the rest is the
 * margin for what the budget cannot cut (a group's first two rounds, B5's single operations, the reports).
 */
const BUDGET_MINUTES = { full: 17, quick: 8.5 } as const;
/** Workloads that need no database (run once, reported under backend "none"). */
const NO_DATABASE: ReadonlySet<WorkloadId> = new Set(['B8']);

const USAGE = `usage: pnpm bench [--quick] [--only B1,B2,...] [--backend postgres|mysql] [--no-peers] [--keep-db]

  --quick      every workload, fewer and shorter rounds (under 10 minutes on 2 cores)
  --only       run only these workloads (B1..B11)
  --backend    run only on this backend (default: postgres and mysql)
  --no-peers   skip Kysely, Drizzle, MikroORM, TypeORM and Prisma
  --keep-db    leave the berth_bench databases in place at the end
  --out DIR    write the results there (default: results/ in the bench package)`;

// tsx turns source maps on, which makes every `Error.stack` several times dearer than in production
// (`node dist/...` without --enable-source-maps); berth reads a stack on every acquire by default.
process.setSourceMapsEnabled(false);

async function main(): Promise<void> {
  // pnpm passes a lone "--" through when the script is called as `pnpm bench -- --quick`.
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      backend: { type: 'string' },
      'no-peers': { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const only = (values.only?.split(',').map((s) => s.trim().toUpperCase()) ??
    Object.keys(WORKLOADS)) as WorkloadId[];
  for (const id of only) if (!(id in WORKLOADS)) throw new Error(`unknown workload ${id}\n${USAGE}`);
  const backends: BackendName[] =
    values.backend === undefined ? ['postgres', 'mysql'] : [values.backend as BackendName];
  for (const b of backends)
    if (b !== 'postgres' && b !== 'mysql') throw new Error(`unknown backend ${b}\n${USAGE}`);

  const quick = values.quick ?? false;
  const started = Date.now();
  const budget = new RunBudget(started, BUDGET_MINUTES[quick ? 'quick' : 'full'] * 60_000);
  log(`berth bench ${quick ? '--quick ' : ''}: ${only.join(',')} on ${backends.join(', ')}`);
  log(describeBerthOrigin());
  const records: FigureRecord[] = [];
  const timingsOut: StepTiming[] = [];
  const scaling: ScalingPoint[] = [];
  const peers = !values['no-peers'];
  if (peers && backends.includes('postgres') && only.some((id) => ['B1', 'B2', 'B5', 'B9'].includes(id))) {
    try {
      generatePrismaClient();
    } catch (error) {
      log(`prisma: cannot generate the client: ${String(error)}`);
    }
  }

  const dbWorkloads = only.filter((id) => !NO_DATABASE.has(id));
  if (dbWorkloads.length > 0) await createDatabases(backends);
  try {
    // Everything still to run, in order, with its weight: each step's window is its share of what is left.
    const steps: { id: WorkloadId | 'seed'; backend: BackendName; weight: number }[] = [];
    for (const backend of dbWorkloads.length > 0 ? backends : []) {
      steps.push({ id: 'seed', backend, weight: SEED_WEIGHT });
      for (const id of dbWorkloads) steps.push({ id, backend, weight: WEIGHTS[id][backend] });
    }
    for (const id of only.filter((w) => NO_DATABASE.has(w)))
      steps.push({ id, backend: 'postgres', weight: WEIGHTS[id].postgres });
    const timings: StepTiming[] = [];
    let data: Dataset = { employeeIds: [] };
    for (const [i, step] of steps.entries()) {
      const rest = steps.slice(i + 1).reduce((a, s) => a + s.weight, 0);
      const label = `${step.id} ${NO_DATABASE.has(step.id as WorkloadId) ? 'none' : step.backend}`;
      const window = budget.next(label, Date.now(), step.weight, rest);
      enterWorkload(window);
      if (step.id === 'seed') {
        data = await seed(step.backend, quick ? 20_000 : 100_000);
        await createSlowView(step.backend);
      } else {
        await WORKLOADS[step.id]({ quick, backend: step.backend, data, records, scaling, peers });
      }
      const seconds = (Date.now() - window.start) / 1000;
      const budgetSeconds = (window.deadline - window.start) / 1000;
      const { groups, cut } = groupsSinceEnter();
      timings.push({ step: label, seconds, budgetSeconds, groups, cutGroups: cut });
      log(
        `${label}: ${seconds.toFixed(0)} s (budget ${budgetSeconds.toFixed(0)} s), ${cut} of ${groups} groups cut by the budget`,
      );
    }
    enterWorkload(undefined);
    timingsOut.push(...timings);
  } finally {
    if (dbWorkloads.length > 0 && !values['keep-db']) await dropDatabases(backends).catch(() => undefined);
  }
  const seconds = (Date.now() - started) / 1000;
  const files = await writeReports({
    records,
    scaling,
    quick,
    seconds,
    only,
    backends,
    timings: timingsOut,
    outDir: values.out,
  });
  const s = summarize(records);
  log(
    `${s.passed} pass, ${s.failed} fail, ${s.noisy} within noise: ${s.judged} of ${s.targeted} targeted figures judged (${s.judgedShare} %)`,
  );
  log(`done in ${seconds.toFixed(0)} s: ${files.join(', ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
