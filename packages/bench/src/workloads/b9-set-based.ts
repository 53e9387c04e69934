import { DEPARTMENTS, Employee, openBerth } from '../context.js';
import { type Contender, runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import type { RawDriver } from '../raw/raw.js';
import { rawEmployee } from './b3-writes.js';
import { type Bench, closeAll, openRaw, settings } from './common.js';

const POOL = 4;
const CALLERS = 4;
/** Rows of the department B9's set-based update rewrites (its own, so no other workload sees them). */
const RAISE_ROWS = 2_000;
const RAISE_DEPARTMENT = 'bench-b9-raise';

/**
 * B9: the query surface's set-based statements against the raw driver's hand-written SQL. An aggregate
 * (count, sum and average salary of one department: one `GROUP BY`-free aggregate statement each side) and
 * a set-based update (every employee of a department: `salary = round(salary * 1)`, version + 1,
 * `updatedAt`, in one statement on the raw side; berth's `updateMany` with the rounding `multiply`, which
 * also checks the salary bounds in the same statement). The factor is 1 so the rows stay as they are
 * from one operation to the next.
 */
export async function b9(bench: Bench): Promise<void> {
  const { backend } = bench;
  log(`B9 ${backend}: aggregate and set-based update`);
  const raw = openRaw(backend, POOL, 'unprepared');
  const db = await openBerth(backend, { max: POOL });
  const q = (name: string) => (backend === 'postgres' ? `"${name}"` : `\`${name}\``);
  try {
    await raw.query(`DELETE FROM employees WHERE department = '${RAISE_DEPARTMENT}'`);
    for (let i = 0; i < RAISE_ROWS; i++)
      await raw.insert({ ...rawEmployee(i, 'b9'), department: RAISE_DEPARTMENT });
    const repo = db.repository(Employee);

    const aggregateOf = (department: string) =>
      `SELECT count(*) AS c, sum(salary) AS s, avg(salary) AS a FROM employees WHERE department = '${department}'`;
    const rawStats = async (raw: RawDriver, department: string) => {
      const [row] = await raw.query(aggregateOf(department));
      return { count: Number(row!.c), sum: Number(row!.s) };
    };
    const aggregateContenders: Contender[] = [
      {
        name: `raw ${backend}`,
        op: (i) => raw.query(aggregateOf(DEPARTMENTS[i % DEPARTMENTS.length]!)),
        sample: () => rawStats(raw, DEPARTMENTS[0]!),
      },
      {
        name: 'berth',
        op: (i) =>
          repo.aggregate({
            where: { department: DEPARTMENTS[i % DEPARTMENTS.length]! },
            count: true,
            sum: ['salary'],
            avg: ['salary'],
          }),
        sample: async () => {
          const [row] = await repo.aggregate({
            where: { department: DEPARTMENTS[0]! },
            count: true,
            sum: ['salary'],
          });
          return { count: row!.count, sum: row!.sum.salary };
        },
      },
    ];
    const aggregates = await runGroup({
      backend,
      workload: `aggregate of one department (count, sum, avg), ${CALLERS} callers, pool ${POOL}`,
      baseline: aggregateContenders[0]!,
      candidates: aggregateContenders.slice(1),
      settings: settings(bench, 'micro', CALLERS),
      // The server's aggregate over thousands of rows limits throughput, not the client's CPU.
      judgeBy: 'throughput',
      figures: [
        {
          id: 'B9',
          candidate: 'berth',
          baseline: `raw ${backend}`,
          metric: 'throughput',
          target: { op: '>=', value: 0.95 },
        },
      ],
    });
    bench.records.push(...aggregates.records);

    const rawUpdate =
      `UPDATE employees SET salary = ROUND(salary * 1), version = version + 1, ${q('updatedAt')} = CURRENT_TIMESTAMP(3) ` +
      `WHERE department = '${RAISE_DEPARTMENT}'`;
    const count = async () =>
      Number(
        (await raw.query(`SELECT count(*) AS c FROM employees WHERE department = '${RAISE_DEPARTMENT}'`))[0]!
          .c,
      );
    const updateContenders: Contender[] = [
      { name: `raw ${backend}`, op: () => raw.query(rawUpdate), sample: count },
      {
        name: 'berth',
        op: () =>
          repo.updateMany(
            { department: RAISE_DEPARTMENT },
            { salary: { multiply: 1, round: 'half-away-from-zero' } },
          ),
        sample: () =>
          repo.updateMany(
            { department: RAISE_DEPARTMENT },
            { salary: { multiply: 1, round: 'half-away-from-zero' } },
          ),
      },
    ];
    const updates = await runGroup({
      backend,
      workload: `set-based update of ${RAISE_ROWS} rows (salary = round(salary * factor), version + 1), 1 caller, pool ${POOL}`,
      baseline: updateContenders[0]!,
      candidates: updateContenders.slice(1),
      settings: settings(bench, 'micro', 1),
      // Rewriting 2,000 rows on the server limits throughput, not the client's CPU.
      judgeBy: 'throughput',
      figures: [
        {
          id: 'B9',
          candidate: 'berth',
          baseline: `raw ${backend}`,
          metric: 'throughput',
          target: { op: '>=', value: 0.95 },
        },
      ],
    });
    bench.records.push(...updates.records);
  } finally {
    await raw.query(`DELETE FROM employees WHERE department = '${RAISE_DEPARTMENT}'`).catch(() => undefined);
    await closeAll(raw, db);
  }
}
