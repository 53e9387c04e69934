import type { BackendName, Dataset } from '../context.js';
import type { Settings } from '../harness/group.js';
import type { FigureRecord } from '../harness/types.js';
import { MysqlRaw } from '../raw/mysql-raw.js';
import { PgRaw } from '../raw/pg-raw.js';
import type { RawDriver, StatementMode } from '../raw/raw.js';

/** B6's measurements, for the SVG chart and the derived figures. */
export interface ScalingPoint {
  backend: string;
  query: 'latency-bound' | 'cpu-bound';
  contender: string;
  poolSize: number;
  throughput: number;
  p50: number;
  meanLatency: number;
}

export interface Bench {
  quick: boolean;
  backend: BackendName;
  data: Dataset;
  records: FigureRecord[];
  scaling: ScalingPoint[];
  /** Which peers run (PostgreSQL only). */
  peers: boolean;
}

export type Profile = 'micro' | 'scaling' | 'bulk' | 'stub';

/**
 * Rounds and durations per kind of workload: `--quick` keeps every workload, with fewer and shorter rounds.
 *
 * Segments are short and rounds many (finer interleaving): CPU per operation, the figure most groups are
 * judged by, is steady over a few thousand operations, and more rounds narrow the noise band (its standard
 * error falls with √rounds) better than longer segments do on a box whose load changes by the second. A group
 * whose targeted figure is still within noise after `rounds` runs more, up to `maxRounds`, while the run's
 * time allows (`harness/budget.ts`) and `maxRounds` could judge it at its present scatter
 * (`harness/extra-rounds.ts`).
 */
export function settings(bench: Bench, profile: Profile, callers: number): Settings {
  const q = bench.quick;
  switch (profile) {
    case 'micro':
      return q
        ? { callers, warmupMs: 300, warmupOps: 3000, segmentMs: 200, rounds: 3, maxRounds: 5 }
        : { callers, warmupMs: 1000, warmupOps: 4000, segmentMs: 300, rounds: 5, maxRounds: 8 };
    case 'scaling':
      return q
        ? { callers, warmupMs: 300, warmupOps: 2000, segmentMs: 250, rounds: 3 }
        : { callers, warmupMs: 500, warmupOps: 4000, segmentMs: 400, rounds: 5, maxRounds: 7 };
    case 'bulk':
      return q
        ? { callers, warmupMs: 0, segmentOps: 1, warmupOps: 1, rounds: 3 }
        : { callers, warmupMs: 0, segmentOps: 1, warmupOps: 1, rounds: 5, maxRounds: 7 };
    case 'stub':
      return q
        ? { callers, warmupMs: 500, warmupOps: 300, segmentMs: 200, rounds: 5 }
        : { callers, warmupMs: 1000, warmupOps: 600, segmentMs: 300, rounds: 9, maxRounds: 13 };
  }
}

export function openRaw(backend: BackendName, max: number, mode: StatementMode): RawDriver {
  return backend === 'postgres' ? new PgRaw(max, mode) : new MysqlRaw(max, mode);
}

/** The statement mode names used in reports. */
export function modeLabel(backend: BackendName, mode: StatementMode): string {
  if (backend === 'postgres') return mode === 'prepared' ? 'named prepared' : 'unnamed';
  return mode === 'prepared' ? 'prepared (execute)' : 'text (query)';
}

/** A spread of the seeded ids, so consecutive operations read different rows. */
export function idAt(ids: readonly string[], i: number): string {
  return ids[(i * 7919) % ids.length]!;
}

/** Closes everything, ignoring errors (a failed close must not hide the figures). */
export async function closeAll(...things: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  await Promise.all(things.map((t) => t?.close().catch(() => undefined)));
}
