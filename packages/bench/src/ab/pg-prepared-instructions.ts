import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeCursor, parseOrderBy } from '@berth/core';
import { createDatabases, dropDatabases, Employee, employeeData, openBerth, seed } from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import {
  buildCallgrindMarks,
  loadCallgrindMarks,
  mainThreadCountsBySide,
  runChildUnderCallgrind,
} from '../harness/callgrind-marks.js';
import { log } from '../harness/log.js';
import { removeCallgrindDumps, sideCountLines } from '../harness/side-counts.js';
import { PgRaw } from '../raw/pg-raw.js';
import { rawEmployee } from '../workloads/b3-writes.js';

/**
 * B1-B3 on PostgreSQL with named prepared statements on both sides, as instructions per operation, which the
 * load of a shared box does not change: A = raw pg (`name:` queries, as the bench's `raw pg+prepared`),
 * B = berth with `preparedStatements: true`, each on a pool of 8, `callers` at once, against the same
 * server, table and rows. Workloads: `find` (findById), `page` (B2's keyset page of 20 after a cursor),
 * `insert`, `update` (by id with an expected version), `delete` (by id with an expected version; its rows
 * are inserted untimed before each block). Blocks alternate A-B-B-A in one process under
 * `valgrind --tool=callgrind` after a warm-up of each side; only the main thread's instructions count
 * (see `callgrind-marks.ts`). Before the counted blocks, one berth operation of each workload is watched
 * with `db.on('query')` and its statements logged. Usage:
 * `pnpm --filter @berth/bench bench:pg-prepared-instructions [workload,...] [callers] [rounds] [opsPerBlock]
 * [warmOps]` (set `BENCH_DB_SUFFIX` so concurrent runs on a shared server use their own database).
 */
process.setSourceMapsEnabled(false);

const POOL = 8;
const SIDES = ['A', 'B'] as const;
type Side = (typeof SIDES)[number];
const NAMES: Record<Side, string> = { A: 'raw pg+prepared', B: 'berth+prepared' };
const WORKLOADS = ['find', 'page', 'insert', 'update', 'delete'] as const;
type Workload = (typeof WORKLOADS)[number];
const ORDER = parseOrderBy(Employee, '-salary');

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
  names: Workload[],
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
  const raw = new PgRaw(POOL, 'prepared');
  const db = await openBerth('postgres', { max: POOL, prepared: true });
  const repo = db.repository(Employee);
  // Positions to read pages after, each with the cursor berth hands out for it (as B2).
  const seedRows = (await repo.find({ where: { active: true }, limit: 640 })).items.filter(
    (_, k) => k % 10 === 0,
  );
  const positions = seedRows.map((r) => ({
    after: { department: r.department, active: true, salary: r.salary, id: r.id },
    cursor: encodeCursor(ORDER, r),
  }));
  const position = (i: number) => positions[i % positions.length]!;
  // Rows to delete, per side, refilled (untimed) before each block.
  const doomed: Record<Side, string[]> = { A: [], B: [] };
  let made = 0;
  let inserted = 0;
  const refill = async (side: Side, count: number) => {
    const rows = Array.from({ length: count - doomed[side].length }, () => rawEmployee(made, `d-${made++}`));
    for (let k = 0; k < rows.length; k += 1000)
      await raw.bulkChunked('employees', rows.slice(k, k + 1000), 1000);
    doomed[side].push(...rows.map((r) => r.id));
  };
  const take = (side: Side) => {
    const id = doomed[side].pop();
    if (id === undefined) throw new Error('out of rows to delete');
    return id;
  };
  const sides: Record<Workload, Record<Side, Op>> = {
    find: {
      A: (i) => raw.findById(at(i)),
      B: (i) => repo.findById(at(i)),
    },
    page: {
      A: (i) => raw.page(position(i).after),
      B: async (i) => {
        const p = position(i);
        const page = await repo.find({
          where: { department: p.after.department, active: true },
          orderBy: '-salary',
          limit: 20,
          cursor: p.cursor,
        });
        return page.items;
      },
    },
    // Each insert its own email (unique): the warm-up blocks run the same offsets again.
    insert: {
      A: () => raw.insert(rawEmployee(inserted++, 'ia')),
      B: () => repo.insert(employeeData(inserted++, 'ib')),
    },
    update: {
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
    },
    delete: {
      A: async () => {
        if (!(await raw.deleteVersioned(take('A'), 1))) throw new Error('delete matched nothing');
      },
      B: () => repo.delete(take('B'), { expectedVersion: 1 }),
    },
  };
  try {
    for (const name of names) {
      const run = sides[name];
      const before = async (side: Side, n: number) => {
        if (name === 'delete') await refill(side, n + 1);
      };
      const sent: string[] = [];
      const listener = (event: { statement: string }) => sent.push(event.statement.replace(/\s+/g, ' '));
      await before('B', 1);
      db.on('query', listener as never);
      await run.B(0);
      db.off('query', listener as never);
      // On stdout: the child's stderr is kept only for a failure's report.
      process.stdout.write(
        `${name}: one berth op sent ${sent.length} statement(s):\n  ${sent.join('\n  ')}\n`,
      );
      for (let w = 0; w < 3; w++)
        for (const s of SIDES) {
          await before(s, warmOps);
          await block(run[s], callers, warmOps, 0);
        }
      let offset = 1_000;
      for (let r = 0; r < rounds; r++) {
        for (const s of ['A', 'B', 'B', 'A'] as const) {
          await before(s, ops);
          gc();
          marks.zero();
          await block(run[s], callers, ops, offset);
          marks.dump(`${s} ${name} ${r}`);
          offset += ops;
        }
      }
    }
  } finally {
    await db.close();
    await raw.close();
  }
}

async function parent(names: Workload[], callers: number, rounds: number, ops: number, warmOps: number) {
  log(describeBerthOrigin());
  const marksPath = buildCallgrindMarks();
  const dir = mkdtempSync(join(tmpdir(), 'berth-pg-prepared-instructions-'));
  const before = loadavg()[0]!;
  await createDatabases(['postgres']);
  try {
    const data = await seed('postgres', 4_000);
    const idsFile = join(dir, 'ids.json');
    writeFileSync(idsFile, JSON.stringify(data.employeeIds));
    // One child for every workload: tsx's start under callgrind is slow.
    runChildUnderCallgrind(dir, fileURLToPath(import.meta.url), [
      idsFile,
      marksPath,
      names.join(','),
      String(callers),
      String(rounds),
      String(ops),
      String(warmOps),
    ]);
    log(
      `PostgreSQL, prepared on both sides, under callgrind, ${callers} caller(s), pool ${POOL}, ${rounds} round(s) of A-B-B-A, ${ops} ops a block (load ${before.toFixed(1)} → ${loadavg()[0]!.toFixed(1)})`,
    );
    for (const name of names) {
      // Dump labels are "<side> <workload> <round>": the workload's own, by side.
      const per = mainThreadCountsBySide(dir, SIDES, ops, (label) => label.split(' ')[1] === name);
      for (const line of sideCountLines(per, SIDES, (s) => `${name} ${s} ${NAMES[s]}`, 'an op')) log(line);
    }
  } finally {
    await dropDatabases(['postgres']);
    removeCallgrindDumps(dir);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(
    args[1]!,
    args[2]!,
    args[3]!.split(',') as Workload[],
    Number(args[4]),
    Number(args[5]),
    Number(args[6]),
    Number(args[7]),
  );
} else {
  const names = (args[0] ?? WORKLOADS.join(',')).split(',') as Workload[];
  for (const name of names)
    if (!WORKLOADS.includes(name)) throw new Error(`no workload ${name}; one of ${WORKLOADS.join(', ')}`);
  const ops = Number(args[3] ?? 500);
  await parent(names, Number(args[1] ?? 8), Number(args[2] ?? 2), ops, Number(args[4] ?? ops));
}
