import { type Database, encodeCursor, parseOrderBy } from '@berth/core';
import {
  type BackendName,
  createDatabases,
  DEPARTMENTS,
  dropDatabases,
  Employee,
  employeeData,
  openBerth,
  seed,
} from '../context.js';
import { describeBerthOrigin } from '../harness/berth-origin.js';
import { log } from '../harness/log.js';
import { median } from '../harness/stats.js';
import { openRaw } from '../workloads/common.js';
import type { RawDriver } from '../raw/raw.js';

log(describeBerthOrigin());

/**
 * CPU per operation (user + system, `process.cpuUsage()`), berth against the raw driver, alternating
 * A-B-B-A in one process on one caller or more (pool 8, leak detection in its default setting), on findById, a
 * keyset page of 20, insert, versioned update and delete. CPU per op is steadier than throughput on a
 * shared box: it does not count time spent waiting for the server or for other processes.
 * Usage: `pnpm --filter @berth/bench bench:cpu [postgres|mysql|both] [rounds] [opsPerBlock] [ops] [callers]`,
 * where `ops` is a comma-separated subset of the workloads (default: all), to measure one change finely, and
 * `callers` how many run at once (default 1; more than the pool's 8 exercise its waiting path).
 * Set `BENCH_DB_SUFFIX` so concurrent runs on a shared server use their own database.
 */
// As the bench does: with source maps on, every Error.stack costs ~3× more under tsx than under node.
process.setSourceMapsEnabled(false);

type Op = 'findById' | 'page' | 'insert' | 'update' | 'delete';
const OPS: Op[] = ['findById', 'page', 'insert', 'update', 'delete'];
const POOL = 8;
const ORDER = parseOrderBy(Employee, '-salary');

/** Page positions: a department, a salary and an id to read after (the raw side) and berth's cursor for it. */
function positions(ids: string[]) {
  return Array.from({ length: 100 }, (_, k) => {
    const id = ids[(k * 7919) % ids.length]!;
    const salary = 60_000 + k * 1_000;
    return {
      after: { department: DEPARTMENTS[k % 10]!, active: true, salary, id },
      cursor: encodeCursor(ORDER, { salary, id }),
    };
  });
}

interface Side {
  run(op: Op, i: number): Promise<unknown>;
}

function rawSide(raw: RawDriver, ids: string[], versions: Map<string, number>, fresh: string[]): Side {
  const at = positions(ids);
  return {
    async run(op, i) {
      const id = ids[(i * 7919) % ids.length]!;
      switch (op) {
        case 'findById':
          return raw.findById(id);
        case 'page':
          return raw.page(at[i % at.length]!.after);
        case 'insert': {
          const now = new Date();
          const newId = crypto.randomUUID();
          await raw.insert({
            id: newId,
            ...employeeData(i, `r${newId}`),
            managerId: null,
            version: 1,
            createdAt: now,
            updatedAt: now,
          });
          fresh.push(newId);
          return;
        }
        case 'update': {
          const v = versions.get(id)!;
          if (!(await raw.updateVersioned(id, v, 40_000 + i, new Date()))) throw new Error('raw update lost');
          versions.set(id, v + 1);
          return;
        }
        case 'delete': {
          const victim = fresh.pop();
          if (!victim) throw new Error('nothing to delete');
          if (!(await raw.deleteVersioned(victim, 1))) throw new Error('raw delete lost');
          return;
        }
      }
    },
  };
}

function berthSide(db: Database, ids: string[], versions: Map<string, number>, fresh: string[]): Side {
  const repo = db.repository(Employee);
  const at = positions(ids);
  return {
    async run(op, i) {
      const id = ids[(i * 7919) % ids.length]!;
      switch (op) {
        case 'findById':
          return repo.findById(id);
        case 'page': {
          const p = at[i % at.length]!;
          const page = await repo.find({
            where: { department: p.after.department, active: true },
            orderBy: '-salary',
            limit: 20,
            cursor: p.cursor,
          });
          return page.items;
        }
        case 'insert': {
          const row = await repo.insert(employeeData(i, `b${crypto.randomUUID()}`));
          fresh.push(row.id);
          return;
        }
        case 'update': {
          const row = await repo.update(id, { salary: 40_000 + i }, { expectedVersion: versions.get(id)! });
          versions.set(id, row.version);
          return;
        }
        case 'delete': {
          const victim = fresh.pop();
          if (!victim) throw new Error('nothing to delete');
          await repo.delete(victim, { expectedVersion: 1 });
          return;
        }
      }
    },
  };
}

async function block(side: Side, op: Op, ops: number, offset: number): Promise<number> {
  const cpu = process.cpuUsage();
  if (callers === 1) {
    for (let i = 0; i < ops; i++) await side.run(op, offset + i);
  } else {
    // `callers` loops at once, each taking the next operation: the pool's waiting path once they outnumber it.
    let next = 0;
    const loop = async () => {
      while (next < ops) await side.run(op, offset + next++);
    };
    await Promise.all(Array.from({ length: callers }, loop));
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / ops;
}

async function measure(backend: BackendName, rounds: number, ops: number): Promise<void> {
  await createDatabases([backend]);
  const data = await seed(backend, 5_000);
  const raw = openRaw(backend, POOL, 'unprepared');
  const db = await openBerth(backend, { max: POOL });
  const versions = new Map<string, number>(data.employeeIds.map((id) => [id, 1]));
  const fresh: string[] = [];
  const sides = {
    A: rawSide(raw, data.employeeIds, versions, fresh),
    B: berthSide(db, data.employeeIds, versions, fresh),
  };
  try {
    for (const op of only) {
      // Warm-up of both sides.
      for (const s of ['A', 'B'] as const) await block(sides[s], op, Math.min(ops, 500), 0);
      const per: Record<'A' | 'B', number[]> = { A: [], B: [] };
      let offset = 1_000;
      for (let r = 0; r < rounds; r++) {
        for (const s of ['A', 'B', 'B', 'A'] as const) {
          per[s].push(await block(sides[s], op, ops, offset));
          offset += ops;
        }
      }
      const a = median(per.A);
      const b = median(per.B);
      const ratios = per.B.map((v, k) => v / per.A[k]!);
      log(
        `${backend} ${op} (${callers} caller${callers === 1 ? '' : 's'}, pool ${POOL}): raw ${a.toFixed(1)} µs, berth ${b.toFixed(1)} µs CPU/op, berth÷raw ${(b / a).toFixed(2)}× (median of rounds ${median(ratios).toFixed(3)}×, rounds ${Math.min(...ratios).toFixed(2)}×–${Math.max(...ratios).toFixed(2)}×)`,
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
const ops = Number(process.argv[4] ?? 1_000);
const only = (process.argv[5]?.split(',') ?? OPS) as Op[];
const callers = Number(process.argv[6] ?? 1);
if (!Number.isInteger(callers) || callers < 1)
  throw new Error(`callers must be a whole number ≥ 1 (got ${process.argv[6]})`);
for (const op of only)
  if (!OPS.includes(op)) throw new Error(`unknown workload ${op}: one of ${OPS.join(', ')}`);
for (const backend of (which === 'both' ? ['postgres', 'mysql'] : [which]) as BackendName[]) {
  await measure(backend, rounds, ops);
}
