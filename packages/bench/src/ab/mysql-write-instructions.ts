import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '@berth/core';
import { MAX_SALARY } from '../../../../apps/api/src/entities.js';
import {
  BulkRow,
  createDatabases,
  dropDatabases,
  Employee,
  employeeData,
  openBerth,
  seed,
  User,
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
import { openKyselyMysql } from '../peers/mysql/kysely-mysql.js';
import { MysqlRaw } from '../raw/mysql-raw.js';
import type { EmployeeRow } from '../raw/raw.js';
import { type Raise, setBasedRaw } from '../raw/set-based-raw.js';
import { rawEmployee } from '../workloads/b3-writes.js';

/**
 * Instructions per operation of berth's MariaDB/MySQL writes against raw mysql2 (`query`, as the bench's
 * baselines send) on the same server and tables, main thread only, under callgrind (see
 * `mysql-update-instructions.ts` for the method): blocks alternate A-B-C-C-B-A per round after a warm-up
 * of each side. Workloads (B3, B4, B5 and B9's):
 * - `insert`: A raw `INSERT` of one row, B `repo.insert`;
 * - `uow`: A raw naive unit of work (read, then INSERT + 3 INSERTs + UPDATE in a transaction), B berth's
 *   unit of work doing the same;
 * - `bulk`: A raw 1000-row INSERTs of 10k rows in a transaction, B a unit of work flushing 10k rows;
 * - `raise`: B9's bounded set-based raise of 2,000 rows: A raw, B `repo.updateMany`, C Kysely.
 * Before the counted blocks, one berth operation per workload is watched with `db.on('query')` and the
 * statements it sent are printed. Usage:
 * `pnpm --filter @berth/bench bench:mysql-write-instructions [workload,...] [rounds] [opsScale]`
 * (set `BENCH_DB_SUFFIX` so concurrent runs on a shared server use their own database).
 */
process.setSourceMapsEnabled(false);

const POOL = 4;
const WORKLOADS = ['insert', 'uow', 'bulk', 'raise'] as const;
type Workload = (typeof WORKLOADS)[number];
/** Operations a block at scale 1: a raise rewrites 2,000 rows and a bulk insert writes 10k. */
const OPS: Record<Workload, number> = { insert: 400, uow: 100, bulk: 2, raise: 10 };
const RAISE: Raise = { department: 'bench-mwi-raise', factor: 1, min: 0, max: MAX_SALARY };
const BULK_ROWS = 10_000;
const SIDE_NAMES: Record<Workload, Partial<Record<'A' | 'B' | 'C', string>>> = {
  insert: { A: 'raw mysql2 INSERT (query)', B: 'berth repo.insert' },
  uow: { A: 'raw mysql2 naive unit of work (query)', B: 'berth unit of work' },
  bulk: { A: 'raw mysql2 1000-row INSERTs (query)', B: 'berth unit of work flush' },
  raise: { A: 'raw mysql2 bounded raise (query)', B: 'berth updateMany', C: 'Kysely raise' },
};

type Op = (i: number) => Promise<unknown>;

async function child(
  idsFile: string,
  marksPath: string,
  workloads: Workload[],
  rounds: number,
  scale: number,
) {
  const marks = loadCallgrindMarks(marksPath);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as string[];
  const raw = new MysqlRaw(POOL, 'unprepared');
  const hand = setBasedRaw(raw);
  const kysely = openKyselyMysql(POOL);
  const db = await openBerth('mysql', { max: POOL });
  try {
    const repo = db.repository(Employee);
    let salary = 30_000;
    const bulkInputs = Array.from({ length: BULK_ROWS }, (_, i) => employeeData(i, 'mwi-bulk'));
    const bulkRows = (): EmployeeRow[] => {
      const now = new Date();
      return bulkInputs.map((d) => ({
        id: uuidv7(),
        ...d,
        managerId: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      }));
    };
    let userSeq = 0;
    const userData = (i: number, k: number, tag: string) => {
      const n = userSeq++;
      return {
        username: `${tag}-${n}-${i}-${k}`,
        displayName: `User ${i}.${k}`,
        email: `${tag}-${n}-${i}-${k}@x.io`,
      };
    };
    const userRow = (i: number, k: number, now: Date) => ({
      id: uuidv7(),
      ...userData(i, k, 'mwa'),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    const sides: Record<Workload, Partial<Record<'A' | 'B' | 'C', Op>>> = {
      insert: {
        A: (i) => raw.insert(rawEmployee(i, 'mwi-a')),
        B: (i) => repo.insert(employeeData(i, 'mwi-b')),
      },
      uow: {
        A: async (i) => {
          const now = new Date();
          const users = [0, 1, 2].map((k) => userRow(i, k, now));
          await raw.naiveUnitOfWork(ids[i % ids.length]!, ++salary, rawEmployee(i, 'mwi-ua'), users, now);
        },
        B: async (i) => {
          const uow = db.unitOfWork();
          const row = await uow.findById(Employee, ids[i % ids.length]!);
          if (!row) throw new Error('no employee');
          row.salary = ++salary;
          uow.persist(Employee, employeeData(i, 'mwi-ub'));
          for (let k = 0; k < 3; k++) uow.persist(User, userData(i, k, 'mwb'));
          await uow.flush();
        },
      },
      bulk: {
        A: async () => {
          await raw.query('TRUNCATE TABLE bench_bulk');
          await raw.bulkChunked('bench_bulk', bulkRows(), 1000);
        },
        B: async () => {
          await raw.query('TRUNCATE TABLE bench_bulk');
          const uow = db.unitOfWork();
          for (const d of bulkInputs) uow.persist(BulkRow, d);
          await uow.flush();
        },
      },
      raise: {
        A: () => hand.raise(RAISE),
        B: () =>
          repo.updateMany(
            { department: RAISE.department },
            { salary: { multiply: RAISE.factor, round: 'half-away-from-zero' } },
          ),
        C: () => kysely.raise(RAISE),
      },
    };
    for (const w of workloads) {
      const sent: string[] = [];
      const listener = (event: { statement: string }) =>
        sent.push(event.statement.replace(/\s+/g, ' ').slice(0, 300));
      db.on('query', listener as never);
      await sides[w].B!(0);
      db.off('query', listener as never);
      process.stdout.write(
        `${w} B: one operation sent ${sent.length} statement(s):\n  ${sent.join('\n  ')}\n`,
      );
    }
    let offset = 1_000;
    for (const w of workloads) {
      const ops = Math.max(1, Math.round(OPS[w] * scale));
      const present = (['A', 'B', 'C'] as const).filter((s) => sides[w][s]);
      const run = async (s: 'A' | 'B' | 'C') => {
        for (let i = 0; i < ops; i++) await sides[w][s]!(offset + i);
        offset += ops;
      };
      for (let k = 0; k < 3; k++) for (const s of present) await run(s);
      for (let r = 0; r < rounds; r++) {
        for (const s of [...present, ...[...present].reverse()]) {
          gc();
          marks.zero();
          await run(s);
          marks.dump(`${w}:${s} ${r}`);
        }
      }
    }
  } finally {
    await db.close();
    await kysely.close();
    await raw.close();
  }
}

async function parent(workloads: Workload[], rounds: number, scale: number) {
  log(describeBerthOrigin());
  const marksPath = buildCallgrindMarks();
  const dir = mkdtempSync(join(tmpdir(), 'berth-mysql-write-instructions-'));
  const before = loadavg()[0]!;
  await createDatabases(['mysql']);
  try {
    const data = await seed('mysql', 4_000);
    const raw = new MysqlRaw(2, 'unprepared');
    try {
      for (let i = 0; i < 2_000; i++)
        await raw.insert({ ...rawEmployee(i, 'mwi-raise'), department: RAISE.department });
    } finally {
      await raw.close();
    }
    const idsFile = join(dir, 'ids.json');
    writeFileSync(idsFile, JSON.stringify(data.employeeIds));
    runChildUnderCallgrind(dir, fileURLToPath(import.meta.url), [
      idsFile,
      marksPath,
      workloads.join(','),
      String(rounds),
      String(scale),
    ]);
    const after = loadavg()[0]!;
    log(
      `mysql writes under callgrind, ${rounds} rounds, pool ${POOL} (load ${before.toFixed(1)} → ${after.toFixed(1)})`,
    );
    for (const w of workloads) {
      const ops = Math.max(1, Math.round(OPS[w] * scale));
      const names = SIDE_NAMES[w];
      const sides = (Object.keys(names) as ('A' | 'B' | 'C')[]).map((s) => `${w}:${s}`);
      const per = mainThreadCountsBySide(dir, sides, ops);
      const label = (side: string) => {
        const s = side.split(':')[1] as 'A' | 'B' | 'C';
        return `${w} ${s} ${names[s]}`;
      };
      for (const line of sideCountLines(per, sides, label, 'an op', { digits: 3 })) log(line);
    }
  } finally {
    await dropDatabases(['mysql']);
    removeCallgrindDumps(dir);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1]!, args[2]!, args[3]!.split(',') as Workload[], Number(args[4]), Number(args[5]));
} else {
  const workloads = (args[0]?.split(',') ?? [...WORKLOADS]) as Workload[];
  for (const w of workloads)
    if (!WORKLOADS.includes(w)) throw new Error(`unknown workload ${w}: one of ${WORKLOADS.join(', ')}`);
  await parent(workloads, Number(args[1] ?? 2), Number(args[2] ?? 1));
}
