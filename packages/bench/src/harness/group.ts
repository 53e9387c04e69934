import { firstDifference } from './equal.js';
import {
  type ContenderStats,
  emptyStats,
  type FigureSpec,
  figureRecords,
  type JudgeBy,
  perRound,
} from './figures.js';
import { nextRound, SEGMENT_CAP_FACTOR, type WorkloadWindow } from './budget.js';
import { wantsAnotherRound } from './extra-rounds.js';
import { log } from './log.js';
import { closedLoop, collectGarbage, type Op, type Segment } from './measure.js';
import { mean, median, palindrome } from './stats.js';
import type { FigureRecord } from './types.js';

export type { ContenderStats, FigureSpec, JudgeBy } from './figures.js';
export { describeTarget } from './figures.js';

/** One side of a comparison: raw driver, berth, or a peer library. */
export interface Contender {
  name: string;
  op: Op;
  /**
   * A result the equality check compares with the baseline's, before any timing: the same input on every
   * contender of the group. Absent: the contender is not checked (only for no-result ops such as a stub).
   */
  sample?: () => Promise<unknown>;
  /** Measures one segment itself instead of running `op` in-process (B7: load from another process). */
  segment?: (warm: boolean) => Promise<Segment>;
}

export interface Settings {
  callers: number;
  warmupMs: number;
  /** Each segment runs this long... */
  segmentMs?: number;
  /** ...or this many operations (for long operations such as bulk inserts). */
  segmentOps?: number;
  /** With segmentMs: stop a segment early after this many operations (a workload with a finite stock). */
  maxOps?: number;
  /** Warm-up in operations: exactly, for segmentOps groups; otherwise at least (besides `warmupMs`). */
  warmupOps?: number;
  /** Rounds always run. */
  rounds: number;
  /**
   * Up to this many rounds in all while a targeted figure is still within its noise band (each round
   * narrows the band's standard-error part). Default: `rounds` (no extra round).
   */
  maxRounds?: number;
}

export interface GroupSpec {
  backend: string;
  workload: string;
  /** Statement mode, pool size... shown with the workload. */
  label?: string;
  baseline: Contender;
  candidates: Contender[];
  settings: Settings;
  figures: FigureSpec[];
  /**
   * Which figure judges a throughput target (`figures.ts`): `cpu` (default) for closed loops whose client
   * CPU limits them, `throughput` where the server or the network does.
   */
  judgeBy?: JudgeBy;
  /** Untimed preparation before each segment of a contender (refill rows to delete, truncate a table). */
  before?: (contender: string) => Promise<void>;
}

export interface GroupResult {
  records: FigureRecord[];
  /** The median of the per-round self-baseline throughput ratios (A′ ÷ A). */
  selfRatio: number;
  /** The baseline measured against itself in every round (A′), per round. */
  self: ContenderStats;
  /** No figure with a target could be judged (every one within noise). */
  noisy: boolean;
  stats: Map<string, ContenderStats>;
  /** Contenders whose results differed from the baseline's (excluded from timing). */
  mismatched: Map<string, string>;
  /** The group's wall time, equality check and warm-ups included, in seconds. */
  seconds: number;
  /** The time budget stopped the rounds before the group's own count (`budget.ts`). */
  budgetCut: boolean;
}

/** The longest a contender's warm-up runs to reach its `warmupOps`. */
const WARMUP_MAX_MS = 3_000;

let currentWindow: WorkloadWindow | undefined;
let groupsRun = 0;
let groupsCut = 0;

/**
 * The time window of the workload now running (`budget.ts`): its groups run their rounds while the next one
 * fits before its deadline, so the run ends within its budget however slow the machine is. Undefined (the
 * default, for scripts that run a single group): every group runs its own rounds.
 */
export function enterWorkload(window: WorkloadWindow | undefined): void {
  currentWindow = window;
  groupsRun = 0;
  groupsCut = 0;
}

/** Groups run since the last `enterWorkload`, and how many of them the budget cut short. */
export function groupsSinceEnter(): { groups: number; cut: number } {
  return { groups: groupsRun, cut: groupsCut };
}

/** The name of the self-baseline contender (the baseline again) inside a group. */
export const SELF = '\u0000self';

/**
 * Measures a group of contenders against one baseline in the same process, on the same pool settings:
 *
 * 1. equality: every candidate's `sample()` must equal the baseline's, or it is excluded (and its figures
 *    fail with the difference);
 * 2. warm-up of every contender;
 * 3. `rounds` rounds (up to `maxRounds` while a targeted figure is within noise and that many rounds could
 *    judge it at its present scatter, `extra-rounds.ts`), each a palindrome over the
 *    baseline, the baseline again (A′, the self-baseline) and the candidates: A-A′-B-B-A′-A for one
 *    candidate. A figure is the median of its per-round ratios; A′ ÷ A, measured in the same rounds and
 *    positions, gives the noise band it is judged with (`judgement.ts`).
 */
export async function runGroup(spec: GroupSpec): Promise<GroupResult> {
  const { settings } = spec;
  const title = `${spec.backend} ${spec.workload}${spec.label ? ` [${spec.label}]` : ''}`;
  const groupStarted = performance.now();
  const mismatched = new Map<string, string>();
  const expected = spec.baseline.sample ? await spec.baseline.sample() : undefined;
  const candidates: Contender[] = [];
  for (const c of spec.candidates) {
    if (spec.baseline.sample && c.sample) {
      try {
        const diff = firstDifference(await c.sample(), expected);
        if (diff) {
          mismatched.set(c.name, `results differ from ${spec.baseline.name}: ${diff}`);
          log(`  ${title}: ${c.name} excluded, results differ: ${diff}`);
          continue;
        }
      } catch (error) {
        mismatched.set(c.name, `failed: ${error instanceof Error ? error.message : String(error)}`);
        log(`  ${title}: ${c.name} excluded, it failed: ${String(error)}`);
        continue;
      }
    }
    candidates.push(c);
  }

  const counters = new Map<string, number>();
  // Timed segments run a fixed number of operations per contender, calibrated from its warm-up to last about
  // `segmentMs`: every segment of a contender then does the same work, however the machine's load changes.
  const opsPerSegment = new Map<string, number>();
  const segment = async (c: Contender, warm = false): Promise<Segment> => {
    // The self-baseline is the baseline: same inputs sequence, same segment size.
    const key = c.name === SELF ? spec.baseline.name : c.name;
    const start = counters.get(key) ?? 0;
    await spec.before?.(key);
    if (c.segment) return c.segment(warm);
    collectGarbage();
    const result = await closedLoop(c.op, {
      callers: settings.callers,
      start,
      ...segmentBounds(settings, warm, opsPerSegment.get(key)),
    });
    counters.set(key, start + result.ops + settings.callers);
    return result;
  };

  /**
   * Warm-up: `warmupMs` and at least `warmupOps` operations (whichever ends later, within `WARMUP_MAX_MS`).
   * Time alone is not enough on a loaded box: V8 optimises a function after enough calls, not after enough
   * time, and its compiler threads' CPU counts in `process.cpuUsage` until it has.
   */
  const warmUp = async (c: Contender): Promise<void> => {
    if (c.segment || settings.segmentOps !== undefined) {
      await segment(c, true);
      return;
    }
    const started = performance.now();
    let ops = 0;
    let throughput = Number.NaN;
    do {
      const s = await segment(c, true);
      ops += s.ops;
      throughput = s.throughput;
      if (s.ops === 0) break;
    } while (
      ops < (settings.warmupOps ?? 0) &&
      performance.now() - started < WARMUP_MAX_MS &&
      (settings.maxOps === undefined || ops < settings.maxOps)
    );
    opsPerSegment.set(c.name, segmentOps(throughput, settings));
  };

  for (const c of [spec.baseline, ...candidates]) await warmUp(c);
  const warmedUp = performance.now();

  const selfContender: Contender = { ...spec.baseline, name: SELF };
  const stats = new Map<string, ContenderStats>();
  for (const c of [spec.baseline, selfContender, ...candidates]) stats.set(c.name, emptyStats());
  const order = palindrome([spec.baseline, selfContender, ...candidates]);
  const judgeBy = spec.judgeBy ?? 'cpu';
  const maxRounds = Math.max(settings.rounds, settings.maxRounds ?? settings.rounds);
  let records: FigureRecord[] = [];
  let roundMs = 0;
  let cut = false;
  for (let r = 0; r < maxRounds; r++) {
    const roundStarted = performance.now();
    const segments = new Map<string, Segment[]>();
    for (const c of order) {
      const s = await segment(c);
      const list = segments.get(c.name) ?? [];
      list.push(s);
      segments.set(c.name, list);
    }
    for (const [name, list] of segments) {
      const st = stats.get(name)!;
      st.throughput.push(mean(list.map((s) => s.throughput)));
      st.p50.push(mean(list.map((s) => s.p50)));
      st.p99.push(mean(list.map((s) => s.p99)));
      st.meanLatency.push(mean(list.map((s) => s.meanLatency)));
      if (list.every((s) => s.cpuUsPerOp !== undefined))
        st.cpuPerOp.push(mean(list.map((s) => s.cpuUsPerOp!)));
    }
    records = buildRecords(spec, judgeBy, stats, mismatched);
    roundMs = Math.max(roundMs, performance.now() - roundStarted);
    const decision = nextRound({
      done: r + 1,
      rounds: settings.rounds,
      maxRounds,
      wantsMore: wantsAnotherRound(records, r + 1, maxRounds),
      roundMs,
      now: Date.now(),
      window: currentWindow,
    });
    if (!decision.more) {
      cut = decision.cut;
      break;
    }
  }

  groupsRun++;
  if (cut) groupsCut++;
  const self = stats.get(SELF)!;
  stats.delete(SELF);
  const selfRatio = median(perRound(self, stats.get(spec.baseline.name)!, 'throughput'));
  const targeted = records.filter((x) => x.verdict !== 'info');
  const noisy = targeted.length > 0 && targeted.every((x) => x.verdict === 'within noise');
  const rounds = self.throughput.length;
  const seconds = (performance.now() - groupStarted) / 1000;
  const warmS = ((warmedUp - groupStarted) / 1000).toFixed(1);
  const budget = cut ? ', budget cut rounds' : '';
  log(
    `  ${title}: ${rounds} round${rounds > 1 ? 's' : ''} in ${seconds.toFixed(1)} s (${warmS} s check and warm-up${budget}), self ${selfRatio.toFixed(3)}×  ${records.map(describeRecord).join('  ')}`,
  );
  return { records, selfRatio, self, noisy, stats, mismatched, seconds, budgetCut: cut };
}

/**
 * How long a segment runs, as the closed loop's `ops` and `durationMs` limits (whichever comes first):
 * - warm-up: `warmupOps` exactly for fixed-count groups (bulk inserts), else `warmupMs` (at most `maxOps`);
 * - fixed-count groups: `segmentOps`, which the budget bounds by cutting rounds (one bulk insert cannot be cut);
 * - others, once calibrated: the operation count the warm-up's throughput does in `segmentMs` (every segment
 *   of a contender does the same work, however the machine's load changes), but at most `SEGMENT_CAP_FACTOR`
 *   × `segmentMs`: if the machine slows down meanwhile, the segment (and so the run) does not grow with it;
 *   CPU per operation, the figure most groups are judged by, is per operation either way;
 * - not calibrated (no warm-up ran): `segmentMs`.
 */
export function segmentBounds(
  settings: Settings,
  warm: boolean,
  calibratedOps: number | undefined,
): { ops?: number | undefined; durationMs?: number | undefined } {
  if (warm)
    return settings.segmentOps !== undefined
      ? { ops: settings.warmupOps ?? 1 }
      : { durationMs: settings.warmupMs, ops: settings.maxOps };
  if (settings.segmentOps !== undefined) return { ops: settings.segmentOps };
  const segmentMs = settings.segmentMs ?? 1000;
  return calibratedOps === undefined
    ? { ops: settings.maxOps, durationMs: segmentMs }
    : { ops: calibratedOps, durationMs: segmentMs * SEGMENT_CAP_FACTOR };
}

/**
 * The operations of one timed segment: what the warm-up's throughput does in `segmentMs`, at least two per
 * caller (so a slow warm-up still gives each segment a measurable amount of work), at most `maxOps`.
 */
export function segmentOps(warmThroughput: number, settings: Settings): number {
  const wanted = Number.isFinite(warmThroughput)
    ? Math.round((warmThroughput * (settings.segmentMs ?? 1000)) / 1000)
    : 0;
  return Math.min(Math.max(wanted, 2 * settings.callers), settings.maxOps ?? Number.POSITIVE_INFINITY);
}

function buildRecords(
  spec: GroupSpec,
  judgeBy: JudgeBy,
  stats: ReadonlyMap<string, ContenderStats>,
  mismatched: ReadonlyMap<string, string>,
): FigureRecord[] {
  const ctx = {
    backend: spec.backend,
    workload: spec.label ? `${spec.workload} [${spec.label}]` : spec.workload,
    judgeBy,
    baseline: spec.baseline.name,
    self: stats.get(SELF)!,
    stats,
    mismatched,
  };
  return spec.figures.flatMap((f) => figureRecords(f, ctx));
}

/** One figure for the log: the ratio (×) ± its band, the verdict, and the two medians behind it. */
function describeRecord(r: FigureRecord): string {
  const values =
    Number.isFinite(r.candidateValue) && Number.isFinite(r.baselineValue)
      ? ` (${r.candidateValue} vs ${r.baselineValue} ${r.unit})`
      : '';
  const band = Number.isFinite(r.band) ? `±${r.band.toFixed(3)}` : '';
  return `${r.candidate}/${r.baseline} ${r.metric} ${r.ratio.toFixed(3)}×${band} ${r.verdict}${values}`;
}
