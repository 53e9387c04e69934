import { uuidv7 } from '@berth/core';
import { BulkRow, employeeData, openBerth } from '../context.js';
import { type Contender, type FigureSpec, runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import type { EmployeeRow } from '../raw/raw.js';
import { type Bench, closeAll, openRaw, settings } from './common.js';
import { openPeers, peerFigures, unavailable } from './peers-group.js';
import type { Peer } from '../peers/peer.js';

const POOL = 8;
const CHUNK = 1000;
const TABLE = 'bench_bulk';

type Input = ReturnType<typeof employeeData>;

/** What the raw driver and the peers do with the caller's data: complete rows, as berth builds them. */
function complete(inputs: readonly Input[]): EmployeeRow[] {
  const now = new Date();
  return inputs.map((d) => ({
    id: uuidv7(),
    ...d,
    managerId: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  }));
}

/**
 * B5: a bulk insert of 10k (and 100k, full run) rows through a unit of work (`persist` each, one `flush`),
 * against raw multi-row INSERTs of 1000 rows in one transaction (target ≥ 0.90×), and against one INSERT
 * per row in one transaction (reported: what batching buys). Peers on PostgreSQL insert the same rows their documented way.
 */
export async function b5(bench: Bench): Promise<void> {
  const { backend } = bench;
  for (const size of bench.quick ? [10_000] : [10_000, 100_000]) {
    log(`B5 ${backend}: bulk insert of ${size} rows`);
    const inputs = Array.from({ length: size }, (_, i) => employeeData(i, 'bulk'));
    const admin = openRaw(backend, 2, 'unprepared');
    const raw = openRaw(backend, POOL, 'unprepared');
    const db = await openBerth(backend, { max: POOL });
    let peers: Peer[] = [];
    let failed = new Map<string, string>();
    // Peers at 10k only: Prisma alone takes tens of seconds per 100k rows, and the targets are at 10k.
    if (backend === 'postgres' && bench.peers && size === 10_000) ({ peers, failed } = await openPeers(POOL));
    const truncate = async () => {
      await admin.query(backend === 'postgres' ? `TRUNCATE ${TABLE}` : `TRUNCATE TABLE ${TABLE}`);
    };
    // Same data in, same table out: count, sum and extremes of what each contender wrote.
    const shape = async (write: (data: readonly Input[]) => Promise<unknown>) => {
      await truncate();
      await write(inputs.slice(0, 2_500));
      const [row] = await admin.query(
        `SELECT COUNT(*) AS n, SUM(salary) AS s, MIN(email) AS lo, MAX(email) AS hi, MIN(version) AS v FROM ${TABLE}`,
      );
      return { n: Number(row!.n), s: Number(row!.s), lo: row!.lo, hi: row!.hi, v: Number(row!.v) };
    };
    const berthWrite = async (data: readonly Input[]) => {
      const uow = db.unitOfWork();
      for (const d of data) uow.persist(BulkRow, d);
      await uow.flush();
    };
    const berth: Contender = { name: 'berth', op: () => berthWrite(inputs), sample: () => shape(berthWrite) };
    const chunked = (data: readonly Input[]) => raw.bulkChunked(TABLE, complete(data), CHUNK);
    const perRow = (data: readonly Input[]) => raw.bulkRowByRow(TABLE, complete(data));
    const rawName = backend === 'postgres' ? 'raw pg' : 'raw mysql2';
    const workload = (what: string) => `bulk insert of ${size / 1000}k rows, ${what}`;
    try {
      const chunkedResult = await runGroup({
        backend,
        workload: workload(`vs ${CHUNK}-row INSERTs`),
        baseline: { name: `${rawName} chunked`, op: () => chunked(inputs), sample: () => shape(chunked) },
        candidates: [
          berth,
          ...peers.map((p) => {
            const write = (data: readonly Input[]) => p.bulkInsert(complete(data));
            return { name: p.name, op: () => write(inputs), sample: () => shape(write) };
          }),
        ],
        // Prisma takes seconds per 10k rows: the quick run keeps two rounds here.
        settings: {
          ...settings(bench, 'bulk', 1),
          rounds: bench.quick && peers.length > 0 ? 2 : settings(bench, 'bulk', 1).rounds,
        },
        figures: [
          {
            id: 'B5',
            candidate: 'berth',
            baseline: `${rawName} chunked`,
            metric: 'throughput',
            target: { op: '>=', value: 0.9 },
          },
          ...peerFigures('B5', peers, `${rawName} chunked`),
        ] satisfies FigureSpec[],
        before: truncate,
      });
      bench.records.push(
        ...chunkedResult.records,
        ...unavailable('B5', backend, workload('vs peers'), failed),
      );
      // One INSERT per row at 10k only: at 100k a single raw operation takes minutes on a loaded box (each
      // round runs four of them), and the target (>= 25x) is the same at either size.
      if (size !== 10_000) {
        await truncate();
        continue;
      }
      const perRowResult = await runGroup({
        backend,
        workload: workload('vs one INSERT per row'),
        baseline: { name: `${rawName} row-by-row`, op: () => perRow(inputs), sample: () => shape(perRow) },
        candidates: [berth],
        settings: { ...settings(bench, 'bulk', 1), rounds: bench.quick ? 2 : 3 },
        figures: [
          {
            id: 'B5',
            candidate: 'berth',
            baseline: `${rawName} row-by-row`,
            metric: 'throughput',
            // No target: reported, not judged. The first cut of the bench asked ≥ 25× here, which no issue
            // does and which loopback denies even the raw driver's own batching: raw chunked INSERTs spent
            // 209 ms of CPU per 10k rows against 1,532 ms row by row (7.3×) in the 2026-12-03 run. Batching's
            // worth is judged against raw chunked INSERTs (≥ 0.90×) and Kysely (≥ 1.0×) above.
          },
        ],
        before: truncate,
      });
      bench.records.push(...perRowResult.records);
      await truncate();
    } finally {
      await closeAll(admin, raw, db, ...peers);
    }
  }
}
