import { Employee, openBerth } from '../context.js';
import { type Contender, type FigureSpec, runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import { type Bench, closeAll, idAt, openRaw, settings } from './common.js';
import { openPeers, peerFigures, unavailable } from './peers-group.js';

const POOL = 8;

/**
 * B1: findById, 1 caller and 32 callers, pool 8, against the raw pool with the same statement mode
 * (PostgreSQL: unnamed and named prepared; MySQL: text protocol as berth, prepared `execute` for reference).
 * On PostgreSQL the peers run in a second group at the same pool size.
 */
export async function b1(bench: Bench): Promise<void> {
  const { backend } = bench;
  const ids = bench.data.employeeIds;
  const sampleId = ids[123]!;
  log(`B1 ${backend}: findById`);
  const rawText = openRaw(backend, POOL, 'unprepared');
  const rawPrepared = openRaw(backend, POOL, 'prepared');
  const berth = await openBerth(backend, { max: POOL });
  const berthPrepared =
    backend === 'postgres' ? await openBerth(backend, { max: POOL, prepared: true }) : undefined;
  // Reads pipelined on shared connections (#16's "beyond the raw pool": ≥ 1.3× raw pg.Pool at 32 callers),
  // packed: short CPU-bound reads gain most from the fewest connections (B6 shows the default, spread).
  const berthPipeline =
    backend === 'postgres' ? await openBerth(backend, { max: POOL, pipeline: 'pack' }) : undefined;
  const employees = berth.repository(Employee);
  // The same berth with leak detection off: what the default stack capture on every acquire costs.
  const berthNoLeak = await openBerth(backend, { max: POOL, pool: { leakDetectionThresholdMs: 0 } });
  const employeesNoLeak = berthNoLeak.repository(Employee);
  const rawName = backend === 'postgres' ? 'raw pg' : 'raw mysql2';
  const rawPreparedName = backend === 'postgres' ? 'raw pg+prepared' : 'raw mysql2 execute';
  try {
    for (const callers of [1, 32]) {
      // The target (#16): ≥ 0.95× raw at 1 and at 32 callers.
      const throughputTarget = 0.95;
      const candidates: Contender[] = [
        {
          name: 'berth',
          op: (i) => employees.findById(idAt(ids, i)),
          sample: () => employees.findById(sampleId),
        },
        {
          name: rawPreparedName,
          op: (i) => rawPrepared.findById(idAt(ids, i)),
          sample: () => rawPrepared.findById(sampleId),
        },
      ];
      const figures: FigureSpec[] = [
        {
          id: 'B1',
          candidate: 'berth',
          baseline: rawName,
          metric: 'throughput',
          target: { op: '>=', value: throughputTarget },
        },
        { id: 'B1', candidate: 'berth', baseline: rawName, metric: 'p99', target: { op: '<=', value: 1.1 } },
      ];
      if (berthPrepared) {
        const repo = berthPrepared.repository(Employee);
        candidates.push({
          name: 'berth+prepared',
          op: (i) => repo.findById(idAt(ids, i)),
          sample: () => repo.findById(sampleId),
        });
        figures.push(
          {
            id: 'B1',
            candidate: 'berth+prepared',
            baseline: rawPreparedName,
            metric: 'throughput',
            target: { op: '>=', value: throughputTarget },
          },
          {
            id: 'B1',
            candidate: 'berth+prepared',
            baseline: rawPreparedName,
            metric: 'p99',
            target: { op: '<=', value: 1.1 },
          },
        );
        if (berthPipeline) {
          const pipelined = berthPipeline.repository(Employee);
          candidates.push({
            name: 'berth+pipeline',
            op: (i) => pipelined.findById(idAt(ids, i)),
            sample: () => pipelined.findById(sampleId),
          });
          figures.push({
            id: 'B1',
            candidate: 'berth+pipeline',
            baseline: rawName,
            metric: 'throughput',
            // One caller has nothing to share a connection with: reported, not judged.
            ...(callers > 1 ? { target: { op: '>=' as const, value: 1.3 } } : {}),
          });
        }
      } else {
        // MySQL: berth has only the text protocol; the prepared raw driver is reported for reference.
        figures.push({ id: 'B1', candidate: 'berth', baseline: rawPreparedName, metric: 'throughput' });
      }
      candidates.push({
        name: 'berth, leak detection off',
        op: (i) => employeesNoLeak.findById(idAt(ids, i)),
        sample: () => employeesNoLeak.findById(sampleId),
      });
      figures.push(
        { id: 'B1', candidate: rawPreparedName, baseline: rawName, metric: 'throughput' },
        { id: 'B1', candidate: 'berth, leak detection off', baseline: rawName, metric: 'throughput' },
      );
      const result = await runGroup({
        backend,
        workload: `findById, ${callers} caller${callers > 1 ? 's' : ''}, pool ${POOL}`,
        baseline: {
          name: rawName,
          op: (i) => rawText.findById(idAt(ids, i)),
          sample: () => rawText.findById(sampleId),
        },
        candidates,
        settings: settings(bench, 'micro', callers),
        figures,
      });
      bench.records.push(...result.records);
    }
  } finally {
    await closeAll(rawText, rawPrepared, berth, berthNoLeak, berthPrepared, berthPipeline);
  }

  if (backend !== 'postgres' || !bench.peers) return;
  for (const callers of bench.quick ? [32] : [1, 32]) {
    const raw = openRaw(backend, POOL, 'unprepared');
    const db = await openBerth(backend, { max: POOL });
    const repo = db.repository(Employee);
    const { peers, failed } = await openPeers(POOL);
    const workload = `findById vs peers, ${callers} caller${callers > 1 ? 's' : ''}, pool ${POOL}`;
    try {
      const result = await runGroup({
        backend,
        workload,
        baseline: {
          name: 'raw pg',
          op: (i) => raw.findById(idAt(ids, i)),
          sample: () => raw.findById(sampleId),
        },
        candidates: [
          { name: 'berth', op: (i) => repo.findById(idAt(ids, i)), sample: () => repo.findById(sampleId) },
          ...peers.map((p) => ({
            name: p.name,
            op: (i: number) => p.findById(idAt(ids, i)),
            sample: () => p.findById(sampleId),
          })),
        ],
        settings: settings(bench, 'micro', callers),
        figures: peerFigures('B1', peers, 'raw pg'),
      });
      bench.records.push(...result.records, ...unavailable('B1', backend, workload, failed));
    } finally {
      await closeAll(raw, db, ...peers);
    }
  }
}
