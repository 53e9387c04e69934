import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '@berth/core';
import { BulkRow, Employee, User } from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { buildCallgrindMarks, loadCallgrindMarks, readCallgrindDump } from '../harness/callgrind-marks.js';
import { log } from '../harness/log.js';
import { median } from '../harness/stats.js';
import { StubDriver } from '../harness/stub-driver.js';
import { STUB_CAPABILITIES, StubSql, stubWorkloads } from '../harness/stub-sql.js';

/**
 * Instructions per operation of the stub workloads (`harness/stub-sql.ts`), raw and berth, in ONE process
 * under callgrind, each block of operations counted on its own through callgrind's client requests
 * (`native/callgrind-marks.c`): zeroed before a block, dumped after. Node runs `--single-threaded`, so
 * garbage collection and JIT compilation run on the main thread and are counted with the block that caused
 * them: a change that allocates less shows up here, as it does in CPU time. Each block starts after a full
 * GC (`--expose-gc`), so one block's garbage is not collected in the next. Blocks alternate A-B-B-A (A raw,
 * B berth) per round, after warm-up blocks of both sides.
 *
 * TurboFan still compiles in counted blocks thousands of operations in (on the main thread here; natively
 * on a helper thread), up to ~90 % of a block: each figure is also given without the instructions under
 * `v8::internal::Compiler::CompileOptimized` (read with `callgrind_annotate`), the steadier measure of what
 * the operations themselves execute, garbage collection included.
 *
 * Usage: `pnpm --filter @berth/bench bench:write-instructions [rounds] [opsPerBlock] [workload,...]`; bulk
 * workloads (10k rows an operation) run `opsPerBlock / 100` operations a block (at least 2). Needs valgrind
 * and a C compiler.
 */
process.setSourceMapsEnabled(false);

function opsFor(rows: number, ops: number): number {
  return rows > 1_000 ? Math.max(2, Math.round(ops / 100)) : ops;
}

async function child(marksPath: string, rounds: number, ops: number, names: string[]): Promise<void> {
  const marks = loadCallgrindMarks(marksPath);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const driver = new StubDriver('postgres', STUB_CAPABILITIES, new StubSql());
  const db = await Database.open(driver, {
    entities: [Employee, User, BulkRow],
    pool: { acquireTimeoutMs: 60_000 },
  });
  const workloads = stubWorkloads(db, driver.connection);
  for (const name of names) {
    const workload = workloads[name];
    if (!workload) throw new Error(`no workload ${name}; one of ${Object.keys(workloads).join(', ')}`);
    const n = opsFor(workload.rows, ops);
    // Enough for V8 to optimize the hot paths of both sides before the first counted block.
    const warm = workload.rows > 1_000 ? 3 : 3_000;
    for (let i = 0; i < warm; i++) await workload.raw();
    for (let i = 0; i < warm; i++) await workload.berth();
    for (let r = 0; r < rounds; r++) {
      for (const side of ['raw', 'berth', 'berth', 'raw'] as const) {
        const fn = workload[side];
        gc();
        marks.zero();
        for (let i = 0; i < n; i++) await fn();
        marks.dump(`${name} ${side} ${n} ${workload.rows}`);
      }
    }
  }
  await db.close();
}

/** A block's instructions per operation: in all, and without TurboFan's compiles. */
interface Count {
  readonly total: number;
  readonly run: number;
}

/** The instructions of a dump spent under TurboFan's `Compiler::CompileOptimized` (inclusive). */
function optimizingCompiles(file: string): number {
  const text = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const match = /^\s*([\d,]+) .*v8::internal::Compiler::CompileOptimized\(/m.exec(text);
  return match ? Number(match[1]!.replaceAll(',', '')) : 0;
}

async function parent(rounds: number, ops: number, names: string[]): Promise<void> {
  log(describeBerthOrigin());
  const marksPath = buildCallgrindMarks();
  const dir = mkdtempSync(join(tmpdir(), 'berth-write-instructions-'));
  const before = loadavg()[0]!;
  try {
    const run = spawnSync(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${join(dir, 'callgrind.out')}`,
        '--dump-line=no',
        process.execPath,
        '--single-threaded',
        '--expose-gc',
        ...process.execArgv,
        fileURLToPath(import.meta.url),
        '--child',
        marksPath,
        String(rounds),
        String(ops),
        names.join(','),
      ],
      { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', env: process.env },
    );
    if (run.status !== 0) throw new Error(`the run under callgrind failed:\n${run.stderr.slice(-4000)}`);
    const per = new Map<string, { raw: Count[]; berth: Count[]; rows: number }>();
    const dumps = readdirSync(dir)
      .map((file) => /^callgrind\.out\.(\d+)$/.exec(file))
      .filter((match) => match !== null)
      .sort((x, y) => Number(x[1]) - Number(y[1]));
    for (const match of dumps) {
      const file = join(dir, match[0]);
      const dump = readCallgrindDump(file);
      const [name, side, n, rows] = dump.label.split(' ') as [string, 'raw' | 'berth', string, string];
      if (side !== 'raw' && side !== 'berth') continue;
      const entry = per.get(name) ?? { raw: [], berth: [], rows: Number(rows) };
      const ops = Number(n);
      entry[side].push({
        total: dump.instructions / ops,
        run: (dump.instructions - optimizingCompiles(file)) / ops,
      });
      per.set(name, entry);
    }
    log(`stub writes under callgrind, ${rounds} rounds of A-B-B-A (load ${before} → ${loadavg()[0]})`);
    const k = (v: number) => `${(v / 1e3).toFixed(1)}k`;
    for (const [name, { raw, berth, rows }] of per) {
      for (const measure of ['run', 'total'] as const) {
        const as = raw.map((c) => c[measure]);
        const bs = berth.map((c) => c[measure]);
        const a = median(as);
        const b = median(bs);
        const perRow =
          rows > 1 ? ` (per row: raw ${(a / rows).toFixed(0)}, berth ${(b / rows).toFixed(0)})` : '';
        const what = measure === 'run' ? 'without TurboFan' : 'in all';
        log(
          `${name} ${what}: raw ${k(a)} [${as.map(k).join(', ')}], berth ${k(b)} [${bs.map(k).join(', ')}], berth − raw ${k(b - a)}${perRow}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]!, Number(args[2]), Number(args[3]), args[4]!.split(','));
else
  await parent(
    Number(args[0] ?? 2),
    Number(args[1] ?? 300),
    (args[2] ?? 'insert,delete,unitOfWork,bulk,insertMany').split(','),
  );
