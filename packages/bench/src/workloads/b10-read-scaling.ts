import { Employee, locations, openBerth, openBerthWithReplicas, replicaPort } from '../context.js';
import { runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import type { Database } from '@berth/core';
import { type Bench, closeAll, idAt, settings } from './common.js';

const POOL = 8;

/**
 * Waits until the replicas of `db` have replayed what the primary has now: a statement on the primary
 * records its position in the handle's session, then reads are repeated until a replica serves one.
 */
async function replicasCaughtUp(db: Database, id: string): Promise<void> {
  await db.sql`SELECT 1 AS one`;
  const deadline = Date.now() + 60_000;
  while (db.replicaStats()!.replicaReads === 0) {
    if (Date.now() > deadline) throw new Error('B10: the replica did not catch up within 60 s');
    // Until it has replayed the CREATE DATABASE, the replica refuses the connection.
    await db
      .repository(Employee)
      .findById(id)
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * B10: read scaling. findById in a fresh session each (pool 8 per server) through berth without replicas (the baseline), through
 * berth with the primary itself configured as its only replica (every read routed and position-checked,
 * on the same server: the routing's own cost, target >= 0.95), and through berth with one real replica.
 * On one machine the replica shares the CPU with the primary and the bench, so the last figure shows
 * routing overhead, not capacity: real read scaling needs the replica on its own host.
 */
export async function b10(bench: Bench): Promise<void> {
  const { backend } = bench;
  const port = replicaPort(backend);
  if (port === undefined) {
    log(`B10 ${backend}: skipped (no replica: set BENCH_MYSQL_PORT=3310 BENCH_MYSQL_REPLICA_PORT=3311)`);
    return;
  }
  const ids = bench.data.employeeIds;
  const sampleId = ids[123]!;
  log(`B10 ${backend}: read scaling, 0 and 1 replicas`);
  const primaryPort = backend === 'postgres' ? locations().postgres.port : locations().mysql.port;
  const plain = await openBerth(backend, { max: POOL });
  const routedToPrimary = await openBerthWithReplicas(backend, POOL, [primaryPort]);
  const withReplica = await openBerthWithReplicas(backend, POOL, [port]);
  try {
    await replicasCaughtUp(withReplica, sampleId);
    // Each read in a fresh causal session, as apps/api serves a request without a session token: the
    // replica is chosen and used with no position to wait for (a covered position costs no round trip
    // either, see docs/scaling-out.md). The primary as its own "replica" can give no replayed position.
    const reader = (db: Database) => {
      const repo = db.repository(Employee);
      const read = (id: string) => db.withSession(undefined, () => repo.findById(id));
      return { op: (i: number) => read(idAt(ids, i)), sample: () => read(sampleId) };
    };
    for (const callers of bench.quick ? [32] : [1, 32]) {
      const result = await runGroup({
        backend,
        workload: `findById, ${callers} caller${callers > 1 ? 's' : ''}, pool ${POOL} per server`,
        baseline: { name: 'berth, 0 replicas', ...reader(plain) },
        candidates: [
          { name: 'berth, routed (primary as its replica)', ...reader(routedToPrimary) },
          { name: 'berth, 1 replica', ...reader(withReplica) },
        ],
        settings: settings(bench, 'micro', callers),
        figures: [
          {
            id: 'B10',
            candidate: 'berth, routed (primary as its replica)',
            baseline: 'berth, 0 replicas',
            metric: 'throughput',
            target: { op: '>=', value: 0.95 },
          },
          { id: 'B10', candidate: 'berth, 1 replica', baseline: 'berth, 0 replicas', metric: 'throughput' },
        ],
      });
      bench.records.push(...result.records);
    }
    const served = withReplica.replicaStats()!;
    log(
      `B10 ${backend}: the replica served ${served.replicaReads} reads, the primary ${served.primaryReadsLagging + served.primaryReadsUnavailable}`,
    );
  } finally {
    await closeAll(plain, routedToPrimary, withReplica);
  }
}
