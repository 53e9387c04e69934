import { encodeCursor, parseOrderBy } from '@berth/core';
import { compileFind, mysqlDialect, postgresDialect } from '@berth/sql';
import { and, cursorCondition, normalizeWhere } from '@berth/core';
import { Employee, openBerth } from '../context.js';
import { type Contender, type FigureSpec, runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import { MYSQL_PAGE } from '../raw/mysql-raw.js';
import { PG_PAGE } from '../raw/pg-raw.js';
import type { PageAfter } from '../raw/raw.js';
import { type Bench, closeAll, openRaw, settings } from './common.js';
import { openPeers, peerFigures, unavailable } from './peers-group.js';

const POOL = 8;
const CALLERS = 8;
const ORDER = parseOrderBy(Employee, '-salary');

interface Position {
  after: PageAfter;
  cursor: string;
}

/** Checks that the raw baseline sends exactly the SQL berth compiles for this page. */
function checkSameSql(backend: string): void {
  const where = and(
    normalizeWhere(Employee, { department: 'x', active: true }),
    cursorCondition(Employee, ORDER, encodeCursor(ORDER, { id: 'a', salary: 1 })),
  );
  const dialect = backend === 'postgres' ? postgresDialect : mysqlDialect;
  const { sql } = compileFind(dialect, { entity: Employee, where, orderBy: ORDER, limit: 21 });
  const raw = backend === 'postgres' ? PG_PAGE : MYSQL_PAGE;
  if (sql !== raw) throw new Error(`B2: the raw SQL is not berth's:\n  berth: ${sql}\n  raw:   ${raw}`);
}

/**
 * B2: a keyset page of 20 rows with a filter (department and active, by salary descending), read after a
 * cursor, against the same SQL text through the raw driver; peers on PostgreSQL.
 */
export async function b2(bench: Bench): Promise<void> {
  const { backend } = bench;
  log(`B2 ${backend}: keyset page`);
  checkSameSql(backend);
  const raw = openRaw(backend, POOL, 'unprepared');
  const rawPrepared = openRaw(backend, POOL, 'prepared');
  const berth = await openBerth(backend, { max: POOL });
  const berthPrepared =
    backend === 'postgres' ? await openBerth(backend, { max: POOL, prepared: true }) : undefined;
  const repo = berth.repository(Employee);
  // Positions to read after: rows spread over the table, each with the cursor berth hands out for it.
  const seedRows = await repo.find({ where: { active: true }, limit: 640 });
  const positions: Position[] = seedRows.items
    .filter((_, k) => k % 10 === 0)
    .map((r) => ({
      after: { department: r.department, active: true, salary: r.salary, id: r.id },
      cursor: encodeCursor(ORDER, r),
    }));
  const at = (i: number) => positions[i % positions.length]!;
  const berthPage = (r: typeof repo) => async (i: number) => {
    const p = at(i);
    const page = await r.find({
      where: { department: p.after.department, active: true },
      orderBy: '-salary',
      limit: 20,
      cursor: p.cursor,
    });
    return page.items;
  };
  const rawName = backend === 'postgres' ? 'raw pg' : 'raw mysql2';
  const rawPreparedName = backend === 'postgres' ? 'raw pg+prepared' : 'raw mysql2 execute';
  try {
    const berthOp = berthPage(repo);
    const candidates: Contender[] = [
      { name: 'berth', op: berthOp, sample: () => berthOp(3) },
      {
        name: rawPreparedName,
        op: (i) => rawPrepared.page(at(i).after),
        sample: () => rawPrepared.page(at(3).after),
      },
    ];
    const figures: FigureSpec[] = [
      {
        id: 'B2',
        candidate: 'berth',
        baseline: rawName,
        metric: 'throughput',
        target: { op: '>=', value: 0.93 },
      },
    ];
    if (berthPrepared) {
      const op = berthPage(berthPrepared.repository(Employee));
      candidates.push({ name: 'berth+prepared', op, sample: () => op(3) });
      figures.push({
        id: 'B2',
        candidate: 'berth+prepared',
        baseline: rawPreparedName,
        metric: 'throughput',
        target: { op: '>=', value: 0.93 },
      });
    } else {
      figures.push({ id: 'B2', candidate: 'berth', baseline: rawPreparedName, metric: 'throughput' });
    }
    figures.push({ id: 'B2', candidate: rawPreparedName, baseline: rawName, metric: 'throughput' });
    const result = await runGroup({
      backend,
      workload: `keyset page of 20 with a filter, ${CALLERS} callers, pool ${POOL}`,
      baseline: { name: rawName, op: (i) => raw.page(at(i).after), sample: () => raw.page(at(3).after) },
      candidates,
      settings: settings(bench, 'micro', CALLERS),
      figures,
    });
    bench.records.push(...result.records);
  } finally {
    await closeAll(rawPrepared, berthPrepared);
  }

  if (backend !== 'postgres' || !bench.peers) {
    await closeAll(raw, berth);
    return;
  }
  const { peers, failed } = await openPeers(POOL);
  const workload = `keyset page vs peers, ${CALLERS} callers, pool ${POOL}`;
  try {
    const berthOp = berthPage(repo);
    const result = await runGroup({
      backend,
      workload,
      baseline: { name: 'raw pg', op: (i) => raw.page(at(i).after), sample: () => raw.page(at(3).after) },
      candidates: [
        { name: 'berth', op: berthOp, sample: () => berthOp(3) },
        ...peers.map((p) => ({
          name: p.name,
          op: (i: number) => p.page(at(i).after),
          sample: () => p.page(at(3).after),
        })),
      ],
      settings: settings(bench, 'micro', CALLERS),
      figures: peerFigures('B2', peers, 'raw pg'),
    });
    bench.records.push(...result.records, ...unavailable('B2', backend, workload, failed));
  } finally {
    await closeAll(raw, berth, ...peers);
  }
}
