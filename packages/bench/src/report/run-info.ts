import type { FigureRecord, StepTiming } from '../harness/types.js';
import type { ScalingPoint } from '../workloads/common.js';

/** What one bench run measured and how it was asked to run: the input of every report. */
export interface RunInfo {
  records: FigureRecord[];
  scaling: ScalingPoint[];
  quick: boolean;
  seconds: number;
  only: readonly string[];
  backends: readonly string[];
  /** Each step's wall time against its budget (absent from runs that predate the budget). */
  timings?: readonly StepTiming[];
  outDir?: string | undefined;
}

/** Where a run happened: machine, versions and servers, recorded beside its figures. */
export interface Environment {
  date: string;
  commit: string;
  dirty: boolean;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string };
  /**
   * The load average (1, 5 and 15 minutes) when the report was written: how quiet the machine was. Above
   * the core count, CPU per operation also counts cache misses and context switches other processes cause,
   * and few operations per second amortise the process's own background CPU: read the verdicts with it.
   */
  loadAverage: number[];
  node: string;
  versions: Record<string, string>;
  servers: Record<string, string>;
}

/** How many figures were judged: the report's headline. */
export interface Summary {
  /** Figures with a target (every verdict but "info"). */
  targeted: number;
  /** Judged: pass or fail. */
  judged: number;
  passed: number;
  failed: number;
  /** Within their noise band of the target: reported, not judged. */
  noisy: number;
  /** judged ÷ targeted, in percent (0 decimals). */
  judgedShare: number;
}
