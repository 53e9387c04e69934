import { parseArgs } from 'node:util';
import { type BackendName, createDatabases, dropDatabases, seed } from './context.js';
import { log } from './harness/log.js';
import { generatePrismaClient } from './peers/prisma.js';
import { summarize, writeReports } from './report/write.js';
import { limitExtraRounds } from './harness/group.js';
import { createSlowView } from './workloads/slow-view.js';
import type { Bench, ScalingPoint } from './workloads/common.js';
import type { FigureRecord } from './harness/types.js';
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
  // Extra rounds (for figures still within noise) only in the first part of the run: the full run must end
  // within 20 minutes, the quick one within 10.
  limitExtraRounds(started + (quick ? 7 : 16) * 60_000);
  log(`berth bench ${quick ? '--quick ' : ''}: ${only.join(',')} on ${backends.join(', ')}`);
  const records: FigureRecord[] = [];
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
    for (const backend of dbWorkloads.length > 0 ? backends : []) {
      const data = await seed(backend, quick ? 20_000 : 100_000);
      await createSlowView(backend);
      const bench: Bench = { quick, backend, data, records, scaling, peers };
      for (const id of dbWorkloads) await WORKLOADS[id](bench);
    }
    for (const id of only.filter((w) => NO_DATABASE.has(w))) {
      await WORKLOADS[id]({ quick, backend: 'postgres', data: { employeeIds: [] }, records, scaling, peers });
    }
  } finally {
    if (dbWorkloads.length > 0 && !values['keep-db']) await dropDatabases(backends).catch(() => undefined);
  }
  const seconds = (Date.now() - started) / 1000;
  const files = await writeReports({ records, scaling, quick, seconds, only, backends, outDir: values.out });
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
