import type { FigureRecord } from '../harness/types.js';
import type { ScalingPoint } from '../workloads/common.js';

/** What one bench run measured and how it was asked to run: the input of every report. */
export interface RunInfo {
  records: FigureRecord[];
  scaling: ScalingPoint[];
  quick: boolean;
  seconds: number;
  only: readonly string[];
  backends: readonly string[];
  outDir?: string | undefined;
}

/** Where a run happened: machine, versions and servers, recorded beside its figures. */
export interface Environment {
  date: string;
  commit: string;
  dirty: boolean;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string };
  node: string;
  versions: Record<string, string>;
  servers: Record<string, string>;
}
