import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '@berth/core';
import { MysqlDriver } from '@berth/mysql';
import {
  BERTH_POOL,
  createDatabases,
  DATABASE,
  dropDatabases,
  Employee,
  ENTITIES,
  locations,
  openBerth,
  seed,
} from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import {
  buildCallgrindMarks,
  loadCallgrindMarks,
  mainThreadCountsBySide,
  runChildUnderCallgrind,
} from '../harness/callgrind-marks.js';
import { readThenWrite } from '../harness/read-then-write.js';
import { log } from '../harness/log.js';
import { removeCallgrindDumps, sideCountLines } from '../harness/side-counts.js';
import { MysqlRaw } from '../raw/mysql-raw.js';

/**
 * B3's MariaDB versioned update as instructions per update, which the load of a shared box does not
 * change: A = raw mysql2's one conditional `UPDATE` (`query`, as B3's baseline), B = berth's
 * `update(id, { salary }, { expectedVersion })`, C = the same call on the path berth took before the
 * one-packet modify (forced by reporting `returning: false`: a read, then a conditional UPDATE, each a
 * prepared statement), on the same server, table and rows, each on a pool of 8, `callers` at once.
 * Blocks alternate A-B-C-C-B-A in one process under `valgrind --tool=callgrind` after a
 * warm-up of each side; only the main thread's instructions in a block count (see
 * `routed-read-instructions.ts` for the marks). Before the counted blocks, one berth update is watched
 * with `db.on('query')` and its statements (round trips) are logged. Usage:
 * `pnpm --filter @berth/bench bench:mysql-update-instructions [callers] [rounds] [opsPerBlock] [warmOps]`
 * (set `BENCH_DB_SUFFIX` so concurrent runs on a shared server use their own database).
 */
process.setSourceMapsEnabled(false);

const POOL = 8;
const SIDES = ['A', 'B', 'C'] as const;
type Side = (typeof SIDES)[number];
const NAMES: Record<Side, string> = {
  A: 'raw mysql2 UPDATE (query)',
  B: 'berth update, expectedVersion',
  C: 'berth update, read then write (before)',
};

type Op = (i: number) => Promise<unknown>;

async function block(op: Op, callers: number, ops: number, offset: number): Promise<void> {
  let next = 0;
  const loop = async () => {
    while (next < ops) await op(offset + next++);
  };
  await Promise.all(Array.from({ length: callers }, loop));
}

/** The measured process, under callgrind. */
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
  // A permutation of the rows within each run of ids.length ops: no two callers update one row at once.
  const at = (i: number) => ids[(i * 7919) % ids.length]!;
  const versions = new Map<string, number>(ids.map((id) => [id, 1]));
  let salary = 30_000;
  const raw = new MysqlRaw(POOL, 'unprepared');
  const db = await openBerth('mysql', { max: POOL });
  // Opened as `openBerth` opens the MySQL side, with the capability hidden.
  const driver = new MysqlDriver({ ...locations().mysql, database: DATABASE, max: POOL });
  const before = await Database.open(readThenWrite(driver), { entities: [...ENTITIES], pool: BERTH_POOL });
  try {
    const repo = db.repository(Employee);
    const beforeRepo = before.repository(Employee);
    const sides: Record<Side, Op> = {
      A: async (i) => {
        const id = at(i);
        const version = versions.get(id)!;
        if (!(await raw.updateVersioned(id, version, ++salary, new Date())))
          throw new Error(`${id} is not at version ${version}`);
        versions.set(id, version + 1);
      },
      B: async (i) => {
        const id = at(i);
        const row = await repo.update(id, { salary: ++salary }, { expectedVersion: versions.get(id)! });
        versions.set(id, row.version);
      },
      C: async (i) => {
        const id = at(i);
        const row = await beforeRepo.update(id, { salary: ++salary }, { expectedVersion: versions.get(id)! });
        versions.set(id, row.version);
      },
    };
    for (const [side, on] of [
      ['B', db],
      ['C', before],
    ] as const) {
      const sent: string[] = [];
      const listener = (event: { statement: string }) => sent.push(event.statement.replace(/\s+/g, ' '));
      on.on('query', listener as never);
      await sides[side](0);
      on.off('query', listener as never);
      // On stdout: the child's stderr is kept only for a failure's report.
      process.stdout.write(
        `${side}: one update sent ${sent.length} statement(s) (round trips):\n  ${sent.join('\n  ')}\n`,
      );
    }
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
  } finally {
    await db.close();
    await before.close();
    await raw.close();
  }
}

async function parent(callers: number, rounds: number, ops: number, warmOps: number) {
  log(describeBerthOrigin());
  const marksPath = buildCallgrindMarks();
  const dir = mkdtempSync(join(tmpdir(), 'berth-mysql-update-instructions-'));
  const before = loadavg()[0]!;
  await createDatabases(['mysql']);
  try {
    const data = await seed('mysql', 4_000);
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
      `mysql versioned update under callgrind, ${callers} caller(s), pool ${POOL}, ${rounds} rounds of A-B-C-C-B-A, ${ops} updates a block (load ${before.toFixed(1)} → ${after.toFixed(1)})`,
    );
    for (const line of sideCountLines(per, SIDES, (s) => `${s} ${NAMES[s]}`, 'an update')) log(line);
  } finally {
    await dropDatabases(['mysql']);
    removeCallgrindDumps(dir);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1]!, args[2]!, Number(args[3]), Number(args[4]), Number(args[5]), Number(args[6]));
} else {
  const ops = Number(args[2] ?? 1_000);
  await parent(Number(args[0] ?? 8), Number(args[1] ?? 3), ops, Number(args[3] ?? ops));
}
