/** The outcome of a figure: judged (pass/fail), too close to its target to judge, or without a target. */
export type Verdict = 'pass' | 'fail' | 'within noise' | 'info';

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
  /** true / false when judged; null when within noise or informational. */
  pass: boolean | null;
  /** pass / fail beyond the noise band, "within noise" inside it, "info" without a target (`judgement.ts`). */
  verdict: Verdict;
  /** The noise band, in the figure's unit (± around `ratio`): a distance to the target within it is not judged. */
  band: number;
  /** The figure is within its noise band of the target (`verdict === 'within noise'`): reported, not judged. */
  noisy: boolean;
  /** The median of the group's per-round self-baseline ratios (A′ ÷ A) in this figure's metric. */
  selfRatio: number;
  /** Medians of the absolute values behind the ratio. */
  candidateValue: number;
  baselineValue: number;
  unit: string;
  note?: string;
}

/** How long one step of the run (seeding a backend, or one workload on one backend) took against its budget. */
export interface StepTiming {
  /** The step: a workload id or "seed", and the backend. */
  step: string;
  /** Its wall time, in seconds. */
  seconds: number;
  /** The time budget it was given when it started (`budget.ts`), in seconds. */
  budgetSeconds: number;
  /** Groups of the step whose rounds the budget cut short, of all its groups. */
  cutGroups: number;
  /** The step's groups. */
  groups: number;
}
