import {
  type Capabilities,
  Database,
  type DriverConnection,
  type FindCommand,
  type ModifyManyResult,
  type PoolOptions,
  type StoredRow,
  type UpsertOutcome,
} from '@berth/core';
import { Employee } from '../context.js';
import { describeTarget, runGroup } from '../harness/group.js';
import { noiseBand, passOf, verdictOf } from '../harness/judgement.js';
import { log } from '../harness/log.js';
import { StubDriver } from '../harness/stub-driver.js';
import { median, round, spread } from '../harness/stats.js';
import type { TargetSpec } from '../harness/types.js';
import { type Bench, settings } from './common.js';

const ID = '0190a3c5-0000-7000-8000-000000000001';
const ROW: StoredRow = Object.freeze({
  id: ID,
  name: 'Ada',
  email: 'ada@example.com',
  department: 'dept-1',
  salary: 100_000,
  active: true,
  hiredAt: new Date(0),
  managerId: null,
  version: 1,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

const BATCH = 100;

const CAPABILITIES: Capabilities = {
  multipleConnections: true,
  transactions: true,
  savepoints: true,
  returning: true,
};

/**
 * The workload's "database": a connection that answers every find with one canned row, at once. It is what
 * B8 measures berth against (the cost of berth's own layers per call), not a test double for a database.
 */
class StubConnection implements DriverConnection {
  readonly id = 'stub';
  readonly broken = false;
  find(_command: FindCommand): Promise<StoredRow[]> {
    return Promise.resolve([ROW]);
  }
  count(): Promise<number> {
    return Promise.resolve(1);
  }
  insert(): Promise<void> {
    return Promise.resolve();
  }
  update(): Promise<number> {
    return Promise.resolve(1);
  }
  delete(): Promise<number> {
    return Promise.resolve(1);
  }
  modifyOne(): Promise<StoredRow | undefined> {
    return Promise.resolve(ROW);
  }
  modifyMany(): Promise<ModifyManyResult> {
    return Promise.resolve({ modified: 1, outOfBounds: 0 });
  }
  upsert(): Promise<UpsertOutcome[]> {
    return Promise.resolve([{ row: ROW, created: false }]);
  }
  aggregate(): Promise<never[]> {
    return Promise.resolve([]);
  }
  begin(): Promise<void> {
    return Promise.resolve();
  }
  commit(): Promise<void> {
    return Promise.resolve();
  }
  rollback(): Promise<void> {
    return Promise.resolve();
  }
  savepoint(): Promise<void> {
    return Promise.resolve();
  }
  rollbackToSavepoint(): Promise<void> {
    return Promise.resolve();
  }
  releaseSavepoint(): Promise<void> {
    return Promise.resolve();
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  ensureSchema(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * B8: berth's per-call overhead with no database: `Repository.findById` on a stub driver against a direct
 * call of the stub connection's `find` with the command berth would build. The figure is the difference in
 * microseconds per call (target ≤ 2 µs); the throughput ratios are reported alongside, with berth's default
 * pool options and with leak detection (a stack captured per acquire) switched off.
 */
export async function b8(bench: Bench): Promise<void> {
  log('B8: per-call overhead on a stub connection');
  const open = async (pool: PoolOptions) =>
    Database.open(new StubDriver('stub', CAPABILITIES, new StubConnection()), { entities: [Employee], pool });
  const db = await open({});
  const dbNoLeak = await open({ leakDetectionThresholdMs: 0 });
  const direct = new StubConnection();
  const command: FindCommand = {
    entity: Employee,
    where: { type: 'compare', field: 'id', op: 'eq', value: ID },
    orderBy: [{ field: 'id', direction: 'asc' }],
    limit: 1,
  };
  const repo = db.repository(Employee);
  const repoNoLeak = dbNoLeak.repository(Employee);
  const directFind = async () => (await direct.find(command))[0] ?? null;
  // One operation is a batch of BATCH sequential calls, so the harness's own timing stays negligible.
  const batch = (call: () => Promise<unknown>) => async () => {
    for (let k = 0; k < BATCH; k++) await call();
  };
  try {
    const result = await runGroup({
      backend: 'none',
      workload: 'findById on a stub connection, 1 caller',
      baseline: { name: 'direct stub call', op: batch(directFind), sample: directFind },
      candidates: [
        { name: 'berth', op: batch(() => repo.findById(ID)), sample: () => repo.findById(ID) },
        {
          name: 'berth, leak detection off',
          op: batch(() => repoNoLeak.findById(ID)),
          sample: () => repoNoLeak.findById(ID),
        },
      ],
      settings: settings(bench, 'stub', 1),
      figures: [
        { id: 'B8', candidate: 'berth', baseline: 'direct stub call', metric: 'throughput' },
        {
          id: 'B8',
          candidate: 'berth, leak detection off',
          baseline: 'direct stub call',
          metric: 'throughput',
        },
      ],
    });
    const base = result.stats.get('direct stub call')!;
    for (const name of ['berth', 'berth, leak detection off']) {
      const st = result.stats.get(name);
      if (!st) continue;
      const overheads = st.throughput.map((t, r) => (1e6 / t - 1e6 / base.throughput[r]!) / BATCH);
      const overhead = median(overheads);
      // The noise band in µs per call: the self-baseline's and the figure's relative noise, applied to the
      // candidate's whole time per call (the overhead is a difference of two such times).
      const ratios = st.throughput.map((t, r) => base.throughput[r]! / t);
      const self = result.self.throughput.map((t, r) => t / base.throughput[r]!);
      const perCall = 1e6 / BATCH / median(st.throughput);
      const band = noiseBand({ self, rounds: ratios }) * perCall;
      const target: TargetSpec | undefined = name === 'berth' ? { op: '<=', value: 2 } : undefined;
      bench.records.push({
        id: 'B8',
        backend: 'none',
        workload: 'findById on a stub connection, 1 caller',
        candidate: name,
        baseline: 'direct stub call',
        metric: 'overhead µs/call',
        ratio: round(overhead, 3),
        spread: round(spread(overheads), 3),
        rounds: overheads.map((o) => round(o, 3)),
        target: describeTarget(target),
        verdict: verdictOf(overhead, target, band),
        pass: passOf(verdictOf(overhead, target, band)),
        noisy: verdictOf(overhead, target, band) === 'within noise',
        band: round(band, 3),
        selfRatio: round(result.selfRatio, 4),
        candidateValue: round(1e6 / BATCH / median(st.throughput), 3),
        baselineValue: round(1e6 / BATCH / median(base.throughput), 3),
        unit: 'µs/call',
      });
    }
    bench.records.push(...result.records);
  } finally {
    await db.close();
    await dbNoLeak.close();
  }
}
