import { type Database, uuidv7 } from '@berth/core';
import { type BackendName, Employee, employeeData, openBerth } from '../context.js';
import { type Contender, type FigureSpec, runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import type { EmployeeRow, RawDriver } from '../raw/raw.js';
import { type Bench, closeAll, openRaw, settings } from './common.js';

const POOL = 8;
const CALLERS = 8;
/** Seeded rows B3's updates work on (B4 uses the next ones). */
export const B3_UPDATE_ROWS = 4_000;

let sequence = 0;

/** A complete row as berth would build it for `employeeData(i, tag)`: what the raw side inserts. */
export function rawEmployee(i: number, tag: string): EmployeeRow {
  const now = new Date();
  return {
    id: uuidv7(),
    ...employeeData(i, tag),
    managerId: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** What two inserts of the same data must agree on, whoever wrote them. */
function insertedShape(row: EmployeeRow | null) {
  if (!row) return null;
  return {
    department: row.department,
    salary: row.salary,
    active: row.active,
    hiredAt: row.hiredAt,
    version: row.version,
    stamped: row.createdAt.getTime() === row.updatedAt.getTime(),
  };
}

interface Side {
  name: string;
  raw: RawDriver;
  db?: Database;
}

/**
 * B3: single insert, update by id with an expected version, and delete by id with an expected version,
 * each against the raw driver's single statement in the same statement mode.
 */
export async function b3(bench: Bench): Promise<void> {
  const { backend } = bench;
  log(`B3 ${backend}: insert, update, delete`);
  const check = openRaw(backend, 2, 'unprepared');
  const sides: Side[] = [
    { name: rawName(backend, false), raw: openRaw(backend, POOL, 'unprepared') },
    { name: 'berth', raw: check, db: await openBerth(backend, { max: POOL }) },
  ];
  if (backend === 'postgres') {
    sides.push(
      { name: rawName(backend, true), raw: openRaw(backend, POOL, 'prepared') },
      { name: 'berth+prepared', raw: check, db: await openBerth(backend, { max: POOL, prepared: true }) },
    );
  }
  try {
    await insertGroup(bench, sides);
    await updateGroup(bench, sides);
    await deleteGroup(bench, sides);
  } finally {
    await closeAll(check, ...sides.filter((s) => !s.db).map((s) => s.raw), ...sides.map((s) => s.db));
  }
}

function rawName(backend: BackendName, prepared: boolean): string {
  if (backend === 'postgres') return prepared ? 'raw pg+prepared' : 'raw pg';
  return prepared ? 'raw mysql2 execute' : 'raw mysql2';
}

function figuresFor(id: string, backend: BackendName): FigureSpec[] {
  const figures: FigureSpec[] = [
    {
      id,
      candidate: 'berth',
      baseline: rawName(backend, false),
      metric: 'throughput',
      target: { op: '>=', value: 0.95 },
    },
  ];
  if (backend === 'postgres') {
    figures.push({
      id,
      candidate: 'berth+prepared',
      baseline: rawName(backend, true),
      metric: 'throughput',
      target: { op: '>=', value: 0.95 },
    });
  }
  return figures;
}

async function insertGroup(bench: Bench, sides: Side[]): Promise<void> {
  const { backend } = bench;
  const check = sides[1]!.raw;
  const contenders: Contender[] = sides.map((side) => {
    const tag = `b3i-${side.name.replace(/\W/g, '')}`;
    if (side.db) {
      const repo = side.db.repository(Employee);
      return {
        name: side.name,
        op: (i) => repo.insert(employeeData(i, tag)),
        sample: async () =>
          insertedShape(await check.findById((await repo.insert(employeeData(1e9, `${tag}s`))).id)),
      };
    }
    return {
      name: side.name,
      op: (i) => side.raw.insert(rawEmployee(i, tag)),
      sample: async () => {
        const row = rawEmployee(1e9, `${tag}s`);
        await side.raw.insert(row);
        return insertedShape(await check.findById(row.id));
      },
    };
  });
  const result = await runGroup({
    backend,
    workload: `single insert, ${CALLERS} callers, pool ${POOL}`,
    baseline: contenders[0]!,
    candidates: contenders.slice(1),
    settings: settings(bench, 'micro', CALLERS),
    figures: figuresFor('B3', backend),
  });
  bench.records.push(...result.records);
}

async function updateGroup(bench: Bench, sides: Side[]): Promise<void> {
  const { backend } = bench;
  const check = sides[1]!.raw;
  const ids = bench.data.employeeIds.slice(0, B3_UPDATE_ROWS);
  // The version each row is at, shared by every contender: each update expects it and bumps it.
  const versions = new Map<string, number>(ids.map((id) => [id, 1]));
  const sampleIds = bench.data.employeeIds.slice(B3_UPDATE_ROWS * 2, B3_UPDATE_ROWS * 2 + sides.length);
  const nextSalary = () => 30_000 + (sequence++ % 170_000);
  const contenders: Contender[] = sides.map((side, k) => {
    const sampleId = sampleIds[k]!;
    const shape = async () => {
      const row = await check.findById(sampleId);
      return row && { salary: row.salary, version: row.version };
    };
    if (side.db) {
      const repo = side.db.repository(Employee);
      return {
        name: side.name,
        op: async (i) => {
          const id = ids[i % ids.length]!;
          const row = await repo.update(id, { salary: nextSalary() }, { expectedVersion: versions.get(id)! });
          versions.set(id, row.version);
        },
        sample: async () => {
          await repo.update(sampleId, { salary: 12_345 }, { expectedVersion: 1 });
          return shape();
        },
      };
    }
    return {
      name: side.name,
      op: async (i) => {
        const id = ids[i % ids.length]!;
        const version = versions.get(id)!;
        if (!(await side.raw.updateVersioned(id, version, nextSalary(), new Date())))
          throw new Error(`B3: ${id} is not at version ${version}`);
        versions.set(id, version + 1);
      },
      sample: async () => {
        await side.raw.updateVersioned(sampleId, 1, 12_345, new Date());
        return shape();
      },
    };
  });
  const result = await runGroup({
    backend,
    workload: `update by id with version, ${CALLERS} callers, pool ${POOL}`,
    baseline: contenders[0]!,
    candidates: contenders.slice(1),
    settings: settings(bench, 'micro', CALLERS),
    figures: figuresFor('B3', backend),
  });
  bench.records.push(...result.records);
}

async function deleteGroup(bench: Bench, sides: Side[]): Promise<void> {
  const { backend } = bench;
  const check = sides[1]!.raw;
  const stock = bench.quick ? 8_000 : 30_000;
  const queues = new Map<string, string[]>(sides.map((s) => [s.name, []]));
  let made = 0;
  // Untimed: top each contender's queue of rows to delete up to `stock`, inserted in bulk by the raw driver.
  const refill = async (name: string) => {
    const queue = queues.get(name)!;
    const missing = stock - queue.length;
    if (missing <= 0) return;
    const rows = Array.from({ length: missing }, () => rawEmployee(made, `b3d-${made++}`));
    await check.bulkChunked('employees', rows, 1000);
    queue.push(...rows.map((r) => r.id));
  };
  const take = (name: string) => {
    const id = queues.get(name)!.pop();
    if (!id) throw new Error('B3: out of rows to delete; raise the stock');
    return id;
  };
  const contenders: Contender[] = sides.map((side) => {
    const gone = async (id: string) => ({ gone: (await check.findById(id)) === null });
    if (side.db) {
      const repo = side.db.repository(Employee);
      return {
        name: side.name,
        op: () => repo.delete(take(side.name), { expectedVersion: 1 }),
        sample: async () => {
          await refill(side.name);
          const id = take(side.name);
          await repo.delete(id, { expectedVersion: 1 });
          return gone(id);
        },
      };
    }
    return {
      name: side.name,
      op: async () => {
        if (!(await side.raw.deleteVersioned(take(side.name), 1)))
          throw new Error('B3: delete matched nothing');
      },
      sample: async () => {
        await refill(side.name);
        const id = take(side.name);
        await side.raw.deleteVersioned(id, 1);
        return gone(id);
      },
    };
  });
  const result = await runGroup({
    backend,
    workload: `delete by id with version, ${CALLERS} callers, pool ${POOL}`,
    baseline: contenders[0]!,
    candidates: contenders.slice(1),
    // A segment stops early once it has deleted its whole stock; throughput is still ops over elapsed time.
    settings: { ...settings(bench, 'micro', CALLERS), maxOps: stock - CALLERS },
    figures: figuresFor('B3', backend),
    before: refill,
  });
  bench.records.push(...result.records);
}
