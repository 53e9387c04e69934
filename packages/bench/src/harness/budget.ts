/**
 * The run's time budget: the full run must end within 20 minutes (the quick one within 10) however slow the
 * machine is that day, so time, not operation counts, bounds every part of it. The total is shared among the
 * workloads by weight; a workload that ends early leaves its unused time to the ones after it (each share is
 * taken from what remains when the workload starts). Inside a workload, a group runs its rounds while the
 * next one fits before the workload's deadline (never fewer than `MIN_ROUNDS`), and extra rounds, which only
 * narrow a noise band, only while they leave the later groups of the workload a reserve.
 *
 * The backends' shares are planned up front (`planBackends`, `backendBudgetMs`): each backend's workloads share its own
 * minutes, so the first backend's overrun (a group's floor of two rounds and its warm-ups cannot be cut)
 * comes out of its own later workloads, never out of the next backend's, which would otherwise all run at
 * their floor with a budget of 0 s.
 */

/** Rounds every group runs whatever the budget says: one round's ratios give no spread to judge with. */
export const MIN_ROUNDS = 2;

/** The share of a workload's budget extra rounds leave untouched, for the groups that follow in it. */
export const EXTRA_ROUND_RESERVE = 0.4;

/** A timed segment of a fixed operation count stops anyway after this many times its intended length. */
export const SEGMENT_CAP_FACTOR = 3;

/** One workload's slice of the run: when it started and by when it should end (`Date.now()` values). */
export interface WorkloadWindow {
  /** Which workload and backend, for the log. */
  readonly label: string;
  /** When the workload started. */
  readonly start: number;
  /** When its budget runs out. */
  readonly deadline: number;
}

/**
 * Splits `totalMs` among `weights` in proportion (a weight of 0 gets nothing). Used for the plan the run logs
 * at its start and, on what remains, for each workload as it starts.
 */
export function allocate(totalMs: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + Math.max(0, w), 0);
  if (sum <= 0 || totalMs <= 0) return weights.map(() => 0);
  return weights.map((w) => (Math.max(0, totalMs) * Math.max(0, w)) / sum);
}

/**
 * The run's budget, consumed in order: `next(weightOfThis, weightOfTheRest)` gives the starting workload its
 * deadline, a share of the time still left in proportion to its weight among the workloads still to run.
 */
export class RunBudget {
  /** When the whole run must end (`Date.now()` value). */
  readonly deadline: number;

  /** @param totalMs the run's whole budget, from `start`. */
  constructor(
    readonly start: number,
    totalMs: number,
  ) {
    this.deadline = start + totalMs;
  }

  /**
   * The window of a workload starting at `now`, whose weight is `weight` while the workloads after it weigh
   * `restWeight` together. Past the run's deadline the window is empty (its deadline is `now`): the groups
   * still run their `MIN_ROUNDS`.
   */
  next(label: string, now: number, weight: number, restWeight: number): WorkloadWindow {
    const left = Math.max(0, this.deadline - now);
    const [share] = allocate(left, [weight, restWeight]);
    return { label, start: now, deadline: now + (share ?? 0) };
  }
}

/** One step of the run as planned: seeding a backend or one workload on it, with its weight. */
export interface PlannedStep {
  /** The backend the step runs on ("none" for the workloads without a database). */
  readonly backend: string;
  /** Its relative share of the run's time. */
  readonly weight: number;
}

/**
 * Each backend's planned share of the run, in ms: `totalMs` split in proportion to the summed weights of
 * its steps, decided before the first step runs.
 */
export function planBackends(totalMs: number, steps: readonly PlannedStep[]): Map<string, number> {
  const backends = [...new Set(steps.map((s) => s.backend))];
  const weights = backends.map((b) =>
    steps.filter((s) => s.backend === b).reduce((a, s) => a + Math.max(0, s.weight), 0),
  );
  const shares = allocate(totalMs, weights);
  return new Map(backends.map((b, i) => [b, shares[i] ?? 0]));
}

/**
 * The budget a backend gets when its first step starts at `now`: its planned share, or more when the steps
 * before it left time over (its weight's share of what is left before the run's deadline, against the
 * backends after it), never less, however late it starts: a backend's figures are measured with the same
 * care whatever the backend before it overran. The run then ends late by that overrun, which the log shows.
 */
export function backendBudgetMs(
  plannedMs: number,
  runDeadline: number,
  now: number,
  weight: number,
  restWeight: number,
): number {
  const [fair] = allocate(Math.max(0, runDeadline - now), [weight, restWeight]);
  return Math.max(plannedMs, fair ?? 0);
}

/** What a group needs to decide whether to run another round. */
export interface RoundState {
  /** Rounds done so far. */
  readonly done: number;
  /** Rounds the group asks for. */
  readonly rounds: number;
  /** Rounds it may run in all while a figure is within noise. */
  readonly maxRounds: number;
  /** A targeted figure is still within its noise band and `maxRounds` could judge it (`extra-rounds.ts`). */
  readonly wantsMore: boolean;
  /** How long one round of this group has taken (the longest so far), in ms. */
  readonly roundMs: number;
  /** `Date.now()`. */
  readonly now: number;
  /** The workload's window, or undefined when the run has no budget (a single group run by a script). */
  readonly window: WorkloadWindow | undefined;
}

/** Whether to run another round, and if not, whether the budget (not the group's own count) stopped it. */
export interface RoundDecision {
  /** Run one more round. */
  readonly more: boolean;
  /** The group stopped short of the rounds it would have run without a budget. */
  readonly cut: boolean;
}

/**
 * The next-round rule: the first `MIN_ROUNDS` always; up to `rounds` while the next round ends before the
 * workload's deadline; beyond, up to `maxRounds` while `wantsMore` (a figure within noise that those rounds
 * could judge) and the next round leaves `EXTRA_ROUND_RESERVE` of the workload's budget to the groups after
 * this one.
 */
export function nextRound(s: RoundState): RoundDecision {
  if (s.done < Math.min(MIN_ROUNDS, s.rounds)) return { more: true, cut: false };
  const wanted = s.done < s.rounds || (s.wantsMore && s.done < s.maxRounds);
  if (!wanted) return { more: false, cut: false };
  if (!s.window) return { more: true, cut: false };
  const ends = s.now + s.roundMs;
  const { start, deadline } = s.window;
  const limit = s.done < s.rounds ? deadline : deadline - EXTRA_ROUND_RESERVE * (deadline - start);
  return ends <= limit ? { more: true, cut: false } : { more: false, cut: true };
}
