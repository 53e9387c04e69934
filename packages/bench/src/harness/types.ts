/** A target a figure is judged against: `ratio >= value` or `ratio <= value`. */
export interface TargetSpec {
  op: '>=' | '<=' | 'within';
  value: number;
  /** The upper bound, for `within` (value ≤ ratio ≤ max). */
  max?: number;
}

/** One figure of the report: a ratio measured in one run, with its spread and verdict. */
export interface FigureRecord {
  id: string;
  backend: string;
  workload: string;
  candidate: string;
  baseline: string;
  /** What the ratio compares: throughput (higher is better), p99 latency (lower is better), or a derived one. */
  metric: string;
  /** The median of the per-round ratios. */
  ratio: number;
  /** Half the range of the per-round ratios. */
  spread: number;
  rounds: number[];
  /** The target as text, for example ">= 0.95"; "(info)" when reported without a target. */
  target: string;
  /** true / false when judged; null when noisy or informational. */
  pass: boolean | null;
  /** The group's self-baseline round strayed more than 3 % from 1.00. */
  noisy: boolean;
  selfRatio: number;
  /** Medians of the absolute values behind the ratio. */
  candidateValue: number;
  baselineValue: number;
  unit: string;
  note?: string;
}
