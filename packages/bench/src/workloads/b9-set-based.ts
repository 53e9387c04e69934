import { MAX_SALARY } from '../../../../apps/api/src/entities.js';
import { DEPARTMENTS, Employee, openBerth } from '../context.js';
import { type Contender, type FigureSpec, runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import type { SetBasedPeer } from '../peers/peer.js';
import { departmentStats, type Raise, setBasedRaw } from '../raw/set-based-raw.js';
import { rawEmployee } from './b3-writes.js';
import { type Bench, closeAll, openRaw, settings } from './common.js';
import { openMysqlPeers, openPeers, peerFigures, unavailable } from './peers-group.js';

const POOL = 4;
const CALLERS = 4;
/** Rows of the department B9's set-based update rewrites (its own, so no other workload sees them). */
const RAISE_ROWS = 2_000;
const RAISE_DEPARTMENT = 'bench-b9-raise';
/** The raise every contender applies: factor 1, so the rows stay as they are from one operation to the next. */
const RAISE: Raise = { department: RAISE_DEPARTMENT, factor: 1, min: 0, max: MAX_SALARY };

/**
 * B9: the query surface's set-based statements against hand-written SQL on the raw driver and against the
 * peers through their own APIs (on MySQL/MariaDB Kysely, Drizzle, MikroORM and TypeORM: see `MYSQL_PEER_NAMES`).
 *
 * - An aggregate: count, sum and average salary of one department, grouped by department (berth's
 *   `aggregate` with `groupBy`; Prisma `groupBy`, Drizzle `count()/sum()/avg()` with `groupBy`, Kysely
 *   `fn.countAll/sum/avg`, MikroORM's query builder, TypeORM's `getRawOne`; the raw side one parameterized
 *   `GROUP BY` statement).
 * - A bounded set-based update of 2,000 rows: `salary = round(salary * factor)` within the salary's bounds,
 *   version + 1, `updatedAt`, all rows or none. Every contender gives that guarantee, so equal work is
 *   compared: berth's `updateMany` with the rounding `multiply`; the raw side the same conditional statement
 *   by hand (`set-based-raw.ts`); each peer a transaction with a locking read that counts the rows out of
 *   bounds, then its own set-based update (Prisma `updateMany` with `multiply`/`increment`, Drizzle and
 *   Kysely `update().set(sql...)`, MikroORM `nativeUpdate`, TypeORM's update query builder).
 */
export async function b9(bench: Bench): Promise<void> {
  const { backend } = bench;
  log(`B9 ${backend}: aggregate and set-based update`);
  const raw = openRaw(backend, POOL, 'unprepared');
  const hand = setBasedRaw(raw);
  const db = await openBerth(backend, { max: POOL });
  const { peers, failed } = !bench.peers
    ? { peers: [] as SetBasedPeer[], failed: new Map<string, string>() }
    : backend === 'postgres'
      ? await openPeers(POOL)
      : await openMysqlPeers(POOL);
  const rawName = `raw ${backend}`;
  const figures = (): FigureSpec[] => [
    {
      id: 'B9',
      candidate: 'berth',
      baseline: rawName,
      metric: 'throughput',
      target: { op: '>=', value: 0.95 },
    },
    ...peerFigures('B9', peers, rawName),
  ];
  try {
    await raw.query(`DELETE FROM employees WHERE department = '${RAISE_DEPARTMENT}'`);
    for (let i = 0; i < RAISE_ROWS; i++)
      await raw.insert({ ...rawEmployee(i, 'b9'), department: RAISE_DEPARTMENT });
    const repo = db.repository(Employee);
    const department = (i: number) => DEPARTMENTS[i % DEPARTMENTS.length]!;

    const berthStats = async (d: string) => {
      const [row] = await repo.aggregate({
        where: { department: d },
        groupBy: ['department'],
        count: true,
        sum: ['salary'],
        avg: ['salary'],
      });
      return departmentStats({ ...row!, sum: row!.sum.salary, avg: row!.avg.salary });
    };
    const aggregateWorkload = `aggregate of one department grouped by department (count, sum, avg), ${CALLERS} callers, pool ${POOL}`;
    const aggregates = await runGroup({
      backend,
      workload: aggregateWorkload,
      baseline: {
        name: rawName,
        op: (i) => hand.stats(department(i)),
        sample: () => hand.stats(DEPARTMENTS[0]!),
      },
      candidates: [
        { name: 'berth', op: (i) => berthStats(department(i)), sample: () => berthStats(DEPARTMENTS[0]!) },
        ...peers.map(
          (p): Contender => ({
            name: p.name,
            op: (i) => p.stats(department(i)),
            sample: () => p.stats(DEPARTMENTS[0]!),
          }),
        ),
      ],
      settings: settings(bench, 'micro', CALLERS),
      // The server's aggregate over thousands of rows limits throughput, not the client's CPU.
      judgeBy: 'throughput',
      figures: figures(),
    });
    bench.records.push(...aggregates.records, ...unavailable('B9', backend, aggregateWorkload, failed));

    const berthRaise = () =>
      repo.updateMany(
        { department: RAISE.department },
        { salary: { multiply: RAISE.factor, round: 'half-away-from-zero' } },
      );
    const updateWorkload = `bounded set-based update of ${RAISE_ROWS} rows (salary = round(salary * factor) within bounds, version + 1, all or none), 1 caller, pool ${POOL}`;
    const updates = await runGroup({
      backend,
      workload: updateWorkload,
      baseline: { name: rawName, op: () => hand.raise(RAISE), sample: () => hand.raise(RAISE) },
      candidates: [
        { name: 'berth', op: berthRaise, sample: berthRaise },
        ...peers.map(
          (p): Contender => ({ name: p.name, op: () => p.raise(RAISE), sample: () => p.raise(RAISE) }),
        ),
      ],
      settings: settings(bench, 'micro', 1),
      // Rewriting 2,000 rows on the server limits throughput, not the client's CPU.
      judgeBy: 'throughput',
      figures: figures(),
    });
    bench.records.push(...updates.records, ...unavailable('B9', backend, updateWorkload, failed));
  } finally {
    await raw.query(`DELETE FROM employees WHERE department = '${RAISE_DEPARTMENT}'`).catch(() => undefined);
    await closeAll(raw, db, ...peers);
  }
}
