import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
import {
  buildCallgrindMarks,
  loadCallgrindMarks,
  mainThreadCountsBySide,
  runChildUnderCallgrind,
} from '../harness/callgrind-marks.js';
import { log } from '../harness/log.js';
import { removeCallgrindDumps, sideCountLines } from '../harness/side-counts.js';

/**
 * B10's routing cost as instructions per read, which the load of a shared box does not change: the reads
 * of `bench:routed-cpu` (findById, pool 8 per server, `callers` at once) run under
 * `valgrind --tool=callgrind`, each block of `opsPerBlock` reads counted on its own (callgrind's client
 * requests through a small N-API addon, `native/callgrind-marks.c`: zeroed before a block, dumped after,
 * so start-up, set-up and warm-up are not counted; the main thread's instructions: V8's compiler and GC
 * helper threads have not been in a dump a client request triggers). Sides, alternating
 * A-B-C-C-B-A in one process after a warm-up of each (three blocks per side), a full GC before each block:
 * - A: berth without replicas, `withSession(undefined, findById)` as B10 (no session without replicas);
 * - B: berth with the primary as its own replica, the same call: B10's routed side (a fresh causal
 *   session per read, every read routed);
 * - C: B without `withSession` (the handle's session): B − C is the session's own cost, C − A the router's.
 * Needs valgrind, a C compiler and Node's headers (`BENCH_KEEP_CALLGRIND=1` keeps the dumps, for
 * `callgrind_annotate`). Usage:
 * `pnpm --filter @berth/bench bench:routed-instructions [callers] [rounds] [opsPerBlock] [warmOps]` (three
 * warm-up blocks of `warmOps` reads per side first; PostgreSQL; set
 * `BENCH_DB_SUFFIX` so concurrent runs on a shared server use their own database).
 */
process.setSourceMapsEnabled(false);

const POOL = 8;
const SIDES = ['A', 'B', 'C'] as const;
type Side = (typeof SIDES)[number];
const NAMES: Record<Side, string> = {
  A: 'plain (0 replicas)',
  B: 'routed, fresh session per read (B10)',
  C: "routed, the handle's session",
};

type Read = (i: number) => Promise<unknown>;

async function block(read: Read, callers: number, ops: number, offset: number): Promise<void> {
  let next = 0;
  const loop = async () => {
    while (next < ops) await read(offset + next++);
  };
  await Promise.all(Array.from({ length: callers }, loop));
}

/** The measured process, under callgrind: opens both databases and runs the blocks. */
async function child(
  idsFile: string,
  marksPath: string,
  callers: number,
  rounds: number,
  ops: number,
  warmOps: number,
) {
  const marks = loadCallgrindMarks(marksPath);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as string[];
  const at = (i: number) => ids[(i * 7919) % ids.length]!;
  const plain = await openBerth('postgres', { max: POOL });
  const routed = await openBerthWithReplicas('postgres', POOL, [locations().postgres.port]);
  try {
    const session = (db: Database): Read => {
      const repo = db.repository(Employee);
      return (i) => db.withSession(undefined, () => repo.findById(at(i)));
    };
    const handle = (db: Database): Read => {
      const repo = db.repository(Employee);
      return (i) => repo.findById(at(i));
    };
    const sides: Record<Side, Read> = { A: session(plain), B: session(routed), C: handle(routed) };
    // Until the JIT has settled: its compilations are counted too (on their threads) while it works.
    for (let w = 0; w < 3; w++) for (const s of SIDES) await block(sides[s], callers, warmOps, 0);
    let offset = 1_000;
    for (let r = 0; r < rounds; r++) {
      for (const s of ['A', 'B', 'C', 'C', 'B', 'A'] as const) {
        gc();
        marks.zero();
        await block(sides[s], callers, ops, offset);
        marks.dump(`${s} ${r}`);
        offset += ops;
      }
    }
    const stats = routed.replicaStats()!;
    if (stats.primaryReadsLagging + stats.primaryReadsUnavailable > 0)
      throw new Error(`the routed side sent ${stats.primaryReadsUnavailable} reads to the primary`);
  } finally {
    await plain.close();
    await routed.close();
  }
}

async function parent(callers: number, rounds: number, ops: number, warmOps: number) {
  log(describeBerthOrigin());
  const marksPath = buildCallgrindMarks();
  const dir = mkdtempSync(join(tmpdir(), 'berth-routed-instructions-'));
  const before = loadavg()[0]!;
  await createDatabases(['postgres']);
  try {
    const data = await seed('postgres', 5_000);
    const idsFile = join(dir, 'ids.json');
    writeFileSync(idsFile, JSON.stringify(data.employeeIds));
    const script = fileURLToPath(import.meta.url);
    runChildUnderCallgrind(dir, script, [
      idsFile,
      marksPath,
      String(callers),
      String(rounds),
      String(ops),
      String(warmOps),
    ]);
    const per = mainThreadCountsBySide(dir, SIDES, ops);
    const after = loadavg()[0]!;
    log(
      `postgres findById under callgrind, ${callers} caller${callers > 1 ? 's' : ''}, pool ${POOL}, ${rounds} rounds of A-B-C-C-B-A, ${ops} reads a block (load ${before.toFixed(1)} → ${after.toFixed(1)})`,
    );
    const lines = sideCountLines(per, SIDES, (s) => `${s} ${NAMES[s]}`, 'a read', { difference: true });
    for (const line of lines) log(line);
  } finally {
    await dropDatabases(['postgres']);
    removeCallgrindDumps(dir);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1]!, args[2]!, Number(args[3]), Number(args[4]), Number(args[5]), Number(args[6]));
} else {
  const ops = Number(args[2] ?? 1_000);
  await parent(Number(args[0] ?? 1), Number(args[1] ?? 3), ops, Number(args[3] ?? ops));
}
