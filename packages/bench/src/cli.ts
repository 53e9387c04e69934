import { parseArgs } from 'node:util';
import { type BackendName, createDatabases, type Dataset, dropDatabases, seed } from './context.js';
import { log } from './harness/log.js';
import { generatePrismaClient } from './peers/prisma.js';
import { summarize, writeReports } from './report/write.js';
import { describeBerthOrigin } from './harness/berth-origin.js';
import { backendBudgetMs, planBackends, RunBudget } from './harness/budget.js';
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
 * Each workload's share of its backend's time budget (relative weights). They follow the steps' wall times in
 * the full run of 2026-12-03 on a quiet machine (`results/latest.json`, seconds ÷ ~55), where nearly every
 * group ran its floor of two rounds: a share in proportion to a step's floor gives every step the same
 * multiple of its floor, so no workload's figures are judged on fewer rounds than another's for want of
 * weight. B10 and B11 run on PostgreSQL only, B8 on no database.
 */
const WEIGHTS: Record<WorkloadId, { postgres: number; mysql: number }> = {
  B1: { postgres: 2.5, mysql: 0.6 },
  B2: { postgres: 1.3, mysql: 0.3 },
  B3: { postgres: 1.4, mysql: 0.6 },
  B4: { postgres: 0.4, mysql: 0.2 },
  B5: { postgres: 2.7, mysql: 1.2 },
  B6: { postgres: 3.7, mysql: 2.1 },
  B7: { postgres: 1.6, mysql: 1.6 },
  B8: { postgres: 0.2, mysql: 0 },
  B9: { postgres: 1.4, mysql: 1.2 },
  B10: { postgres: 0.5, mysql: 0 },
  B11: { postgres: 2.2, mysql: 0 },
};
/** Seeding a backend, in the same weights (100k rows full, 20k quick: 4-5 s on a quiet machine). */
const SEED_WEIGHT = 0.1;
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
    // Everything still to run, in order, with its weight. Each backend's share of the run is planned now
    // (`budget.ts`): its steps share its own minutes, each step's window its share of what is left of them.
    const steps: { id: WorkloadId | 'seed'; backend: BackendName | 'none'; weight: number }[] = [];
    for (const backend of dbWorkloads.length > 0 ? backends : []) {
      steps.push({ id: 'seed', backend, weight: SEED_WEIGHT });
      for (const id of dbWorkloads) steps.push({ id, backend, weight: WEIGHTS[id][backend] });
    }
    for (const id of only.filter((w) => NO_DATABASE.has(w)))
      steps.push({ id, backend: 'none', weight: WEIGHTS[id].postgres });
    const planned = planBackends(budget.deadline - started, steps);
    log(
      `budget: ${[...planned].map(([b, ms]) => `${b} ${(ms / 1000).toFixed(0)} s`).join(', ')} of ${((budget.deadline - started) / 1000).toFixed(0)} s`,
    );
    const weightOf = (from: number, backend?: string) =>
      steps
        .slice(from)
        .filter((s) => backend === undefined || s.backend === backend)
        .reduce((a, s) => a + s.weight, 0);
    const timings: StepTiming[] = [];
    let data: Dataset = { employeeIds: [] };
    let backendBudget: RunBudget | undefined;
    for (const [i, step] of steps.entries()) {
      const label = `${step.id} ${step.backend}`;
      if (i === 0 || steps[i - 1]!.backend !== step.backend) {
        const mine = weightOf(i, step.backend);
        const ms = backendBudgetMs(
          planned.get(step.backend) ?? 0,
          budget.deadline,
          Date.now(),
          mine,
          weightOf(i) - mine,
        );
        backendBudget = new RunBudget(Date.now(), ms);
        log(`${step.backend}: budget ${(ms / 1000).toFixed(0)} s`);
      }
      const window = backendBudget!.next(label, Date.now(), step.weight, weightOf(i + 1, step.backend));
      enterWorkload(window);
      if (step.id === 'seed') {
        const backend = step.backend as BackendName;
        data = await seed(backend, quick ? 20_000 : 100_000);
        await createSlowView(backend);
      } else {
        // B8 ("none") needs no database; its bench still names a backend.
        const backend = step.backend === 'none' ? 'postgres' : step.backend;
        await WORKLOADS[step.id]({ quick, backend, data, records, scaling, peers });
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
