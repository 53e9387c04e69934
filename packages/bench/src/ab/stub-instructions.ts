import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { freemem, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@berth/core';
import { BulkRow, Employee, User } from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { log } from '../harness/log.js';
import { median } from '../harness/stats.js';
import { StubDriver } from '../harness/stub-driver.js';
import { STUB_CAPABILITIES, StubSql, type StubWorkload, stubWorkloads } from '../harness/stub-sql.js';

/**
 * Instructions per operation (and per row written) of the stub workloads (`harness/stub-sql.ts`), berth
 * against the raw caller, counted by valgrind's callgrind: a count that the machine's load does not change,
 * unlike CPU time (this machine's `perf` has no hardware counters). Each count is one child process under
 * callgrind: warm-up operations first, then the measured ones between two markers, `os.freemem()` (its
 * libuv function `uv_get_free_memory` zeroes callgrind's counters) and `os.loadavg()` (`uv_loadavg` dumps
 * them), calls Node makes nowhere else, so the dump holds exactly the measured operations, on every thread
 * (JIT and GC helpers included). Children run A-B-B-A per round (A raw, B berth). Node runs ~50x slower
 * under callgrind: keep the counts small.
 *
 * Usage: `pnpm --filter @berth/bench bench:stub-instructions [rounds] [opsPerChild] [workload,...]`; for
 * bulk workloads (10k rows per operation) a child runs `opsPerChild / 1000` operations (at least 2).
 * Needs valgrind (`apt-get install -y valgrind`).
 */
process.setSourceMapsEnabled(false);

const CHILD = process.env.STUB_INSTRUCTIONS_CHILD;

async function openStub(): Promise<{ db: Database; workloads: Record<string, StubWorkload> }> {
  const driver = new StubDriver('postgres', STUB_CAPABILITIES, new StubSql());
  const db = await Database.open(driver, {
    entities: [Employee, User, BulkRow],
    pool: { acquireTimeoutMs: 30_000 },
  });
  return { db, workloads: stubWorkloads(db, driver.connection) };
}

function opsFor(workload: StubWorkload, opsArg: number): number {
  return workload.rows > 1_000 ? Math.max(2, Math.round(opsArg / 1_000)) : opsArg;
}

/** The child: warm up, then run the measured operations between callgrind's markers. */
async function child(spec: string): Promise<void> {
  const [name, side, opsText] = spec.split('|') as [string, 'raw' | 'berth', string];
  const { db, workloads } = await openStub();
  const workload = workloads[name];
  if (!workload) throw new Error(`no workload ${name}; one of ${Object.keys(workloads).join(', ')}`);
  const ops = Number(opsText);
  const fn = workload[side];
  // At least as many warm-up operations as measured ones, and enough for V8 to optimize the hot paths.
  const warmup = Math.max(ops, workload.rows > 1_000 ? 4 : 5_000);
  // One loop for both, so the measured operations run the loop code the warm-up optimized: a second loop
  // of its own would be compiled (on-stack replacement) inside the measured window.
  const loop = async (n: number) => {
    for (let i = 0; i < n; i++) await fn();
  };
  await loop(warmup);
  freemem();
  await loop(ops);
  loadavg();
  await db.close();
}

/** One child under callgrind: its instruction count over the measured operations. */
function count(dir: string, name: string, side: 'raw' | 'berth', ops: number): number {
  const out = join(dir, `${name}-${side}`);
  const result = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--zero-before=uv_get_free_memory',
      '--dump-before=uv_loadavg',
      `--callgrind-out-file=${out}`,
      `--log-file=${out}.log`,
      // One count per thread: the main thread's is the one wanted. tsx's module hooks run on a worker thread
      // (Node 20's `module.register`), whose event loop callgrind counted at ~0.8M instructions per stub
      // findById, on either side, burying the difference between them.
      '--separate-threads=yes',
      process.execPath,
      // No helper threads, GC and JIT on the main thread: valgrind runs one thread at a time and counts a
      // helper's spinning too (with helpers, a stub findById counted ~2.2M instructions on either side).
      // `STUB_INSTRUCTIONS_THREADS=1` keeps Node's helper threads.
      ...(process.env.STUB_INSTRUCTIONS_THREADS === '1' ? [] : ['--single-threaded']),
      ...process.execArgv,
      process.argv[1]!,
    ],
    {
      env: { ...process.env, STUB_INSTRUCTIONS_CHILD: [name, side, ops].join('|') },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.status !== 0)
    throw new Error(`callgrind run of ${name}/${side} failed (status ${result.status})`);
  // The first dump is the one `uv_loadavg` triggered: from the zeroing to the end of the measured loop;
  // `-01` is the main thread's part of it.
  const main = `${out}.1-01`;
  const summary = /^summary: (\d+)/m.exec(readFileSync(main, 'utf8'));
  const value = Number(summary?.[1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`no instruction count in ${main}`);
  for (const file of readdirSync(dir))
    if (file.startsWith(`${name}-${side}`)) rmSync(join(dir, file), { force: true });
  return value;
}

async function parent(): Promise<void> {
  log(describeBerthOrigin());
  const rounds = Number(process.argv[2] ?? 3);
  const opsArg = Number(process.argv[3] ?? 2_000);
  const only = process.argv[4]?.split(',');
  const { db, workloads } = await openStub();
  await db.close();
  const dir = mkdtempSync(join(tmpdir(), 'berth-instructions-'));
  try {
    for (const [name, workload] of Object.entries(workloads)) {
      if (only && !only.includes(name)) continue;
      const ops = opsFor(workload, opsArg);
      const per = (side: 'raw' | 'berth') => {
        const value = count(dir, name, side, ops) / ops;
        // Each count as it comes: a round under callgrind takes minutes on a loaded machine.
        log(`${name} ${side}: ${(value / 1e3).toFixed(1)}k instructions per op`);
        return value;
      };
      const raws: number[] = [];
      const berths: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const a1 = per('raw');
        const b1 = per('berth');
        const b2 = per('berth');
        const a2 = per('raw');
        raws.push(a1, a2);
        berths.push(b1, b2);
      }
      const raw = median(raws);
      const berth = median(berths);
      const unit =
        workload.rows > 1
          ? ` (per row: raw ${(raw / workload.rows).toFixed(0)}, berth ${(berth / workload.rows).toFixed(0)})`
          : '';
      const range = (values: number[]) =>
        `${(Math.min(...values) / 1e3).toFixed(1)}–${(Math.max(...values) / 1e3).toFixed(1)}k`;
      log(
        `${name}: instructions per op raw ${(raw / 1e3).toFixed(1)}k [${range(raws)}], berth ${(berth / 1e3).toFixed(1)}k [${range(berths)}], berth ÷ raw ${(berth / raw).toFixed(3)}, above raw ${((berth - raw) / 1e3).toFixed(1)}k${unit}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (CHILD) await child(CHILD);
else await parent();
