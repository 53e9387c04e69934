import { firstDifference } from './equal.js';
import { closedLoop, type Op, type Segment } from './measure.js';
import { isNoisy, mean, median, palindrome, round, roundRatio, spread } from './stats.js';
import type { FigureRecord, TargetSpec } from './types.js';
import { log } from './log.js';

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
  /** Warm-up in operations, for segmentOps groups. */
  warmupOps?: number;
  rounds: number;
}

export interface FigureSpec {
  id: string;
  candidate: string;
  baseline: string;
  metric: 'throughput' | 'p99';
  target?: TargetSpec;
  note?: string;
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
  /** Untimed preparation before each segment of a contender (refill rows to delete, truncate a table). */
  before?: (contender: string) => Promise<void>;
}

export interface ContenderStats {
  /** Per round: the mean of the contender's two segments. */
  throughput: number[];
  p50: number[];
  p99: number[];
  meanLatency: number[];
  /** Per round: CPU µs per operation (empty where the workload measures its own segments). */
  cpuPerOp: number[];
}

export interface GroupResult {
  records: FigureRecord[];
  selfRatio: number;
  noisy: boolean;
  stats: Map<string, ContenderStats>;
  /** Contenders whose results differed from the baseline's (excluded from timing). */
  mismatched: Map<string, string>;
}

const SELF = '\u0000self';

/**
 * B9, beside every throughput figure: CPU µs per operation, candidate ÷ baseline (lower is better). Its
 * target is the throughput target's inverse (≥ 0.95× the throughput is ≤ 1/0.95 the CPU per operation).
 */
function cpuFigure(
  base: FigureRecord,
  cs: ContenderStats,
  bs: ContenderStats,
  throughputTarget: TargetSpec | undefined,
  noisy: boolean,
): FigureRecord | undefined {
  if (cs.cpuPerOp.length === 0 || cs.cpuPerOp.length !== bs.cpuPerOp.length) return undefined;
  const ratios = cs.cpuPerOp.map((v, i) => v / bs.cpuPerOp[i]!);
  const ratio = median(ratios);
  const target: TargetSpec | undefined =
    throughputTarget?.op === '>=' ? { op: '<=', value: round(1 / throughputTarget.value, 4) } : undefined;
  return {
    ...base,
    id: 'B9',
    metric: 'cpu µs/op',
    ratio: round(ratio, 4),
    spread: round(spread(ratios), 4),
    rounds: ratios.map((v) => round(v, 4)),
    target: describeTarget(target),
    pass: noisy ? null : judge(ratio, target),
    candidateValue: round(median(cs.cpuPerOp), 3),
    baselineValue: round(median(bs.cpuPerOp), 3),
    unit: 'µs/op',
    note: `${base.id}'s workload, CPU per operation of this process`,
  };
}

export function judge(ratio: number, target: TargetSpec | undefined): boolean | null {
  if (!target || !Number.isFinite(ratio)) return null;
  if (target.op === 'within')
    return ratio >= target.value && ratio <= (target.max ?? Number.POSITIVE_INFINITY);
  return target.op === '>=' ? ratio >= target.value : ratio <= target.value;
}

export function describeTarget(target: TargetSpec | undefined): string {
  if (!target) return '(info)';
  if (target.op === 'within')
    return `${target.value.toFixed(2)}..${(target.max ?? Number.POSITIVE_INFINITY).toFixed(2)}`;
  return `${target.op} ${target.value.toFixed(2)}`;
}

/**
 * Measures a group of contenders against one baseline in the same process, on the same pool settings:
 *
 * 1. equality: every candidate's `sample()` must equal the baseline's, or it is excluded (and its figures
 *    fail with the difference);
 * 2. warm-up of every contender;
 * 3. a self-baseline round, baseline against itself (A-A'-A'-A): more than 3 % off 1.00 marks the whole
 *    group noisy, so its figures are reported but not judged;
 * 4. `rounds` rounds, each a palindrome over baseline and candidates (A-B-B-A for one candidate); a figure is
 *    the median of its per-round ratios, with their spread.
 */
export async function runGroup(spec: GroupSpec): Promise<GroupResult> {
  const { settings } = spec;
  const title = `${spec.backend} ${spec.workload}${spec.label ? ` [${spec.label}]` : ''}`;
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
  const segment = async (c: Contender, warm = false): Promise<Segment> => {
    const start = counters.get(c.name) ?? 0;
    await spec.before?.(c.name);
    if (c.segment) return c.segment(warm);
    const result = await closedLoop(c.op, {
      callers: settings.callers,
      start,
      ...(warm
        ? settings.segmentOps !== undefined
          ? { ops: settings.warmupOps ?? 1 }
          : { durationMs: settings.warmupMs, ops: settings.maxOps }
        : settings.segmentOps !== undefined
          ? { ops: settings.segmentOps }
          : { durationMs: settings.segmentMs ?? 1000, ops: settings.maxOps }),
    });
    counters.set(c.name, start + result.ops + settings.callers);
    return result;
  };

  for (const c of [spec.baseline, ...candidates]) await segment(c, true);

  // The self-baseline round: the baseline against itself, in the same A-B-B-A shape as the real rounds.
  const self: Segment[] = [];
  for (const _ of palindrome([spec.baseline.name, SELF])) self.push(await segment(spec.baseline));
  const selfRatio = roundRatio(
    [self[1]!.throughput, self[2]!.throughput],
    [self[0]!.throughput, self[3]!.throughput],
  );
  const noisy = isNoisy(selfRatio);

  const stats = new Map<string, ContenderStats>();
  for (const c of [spec.baseline, ...candidates])
    stats.set(c.name, { throughput: [], p50: [], p99: [], meanLatency: [], cpuPerOp: [] });
  const order = palindrome([spec.baseline, ...candidates]);
  for (let r = 0; r < settings.rounds; r++) {
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
  }

  const records: FigureRecord[] = [];
  for (const f of spec.figures) {
    const base: FigureRecord = {
      id: f.id,
      backend: spec.backend,
      workload: spec.label ? `${spec.workload} [${spec.label}]` : spec.workload,
      candidate: f.candidate,
      baseline: f.baseline,
      metric: f.metric,
      ratio: Number.NaN,
      spread: Number.NaN,
      rounds: [],
      target: describeTarget(f.target),
      pass: null,
      noisy,
      selfRatio: round(selfRatio, 4),
      candidateValue: Number.NaN,
      baselineValue: Number.NaN,
      unit: f.metric === 'throughput' ? 'ops/s' : 'ms',
      ...(f.note ? { note: f.note } : {}),
    };
    const bad = mismatched.get(f.candidate) ?? mismatched.get(f.baseline);
    const cs = stats.get(f.candidate);
    const bs = stats.get(f.baseline);
    if (bad || !cs || !bs) {
      records.push({ ...base, pass: f.target ? false : null, note: bad ?? 'not measured' });
      continue;
    }
    const key = f.metric === 'throughput' ? 'throughput' : 'p99';
    const ratios = cs[key].map((v, i) => v / bs[key][i]!);
    const ratio = median(ratios);
    records.push({
      ...base,
      ratio: round(ratio, 4),
      spread: round(spread(ratios), 4),
      rounds: ratios.map((v) => round(v, 4)),
      pass: noisy ? null : judge(ratio, f.target),
      candidateValue: round(median(cs[key]), 3),
      baselineValue: round(median(bs[key]), 3),
    });
    if (f.metric === 'throughput') {
      const cpu = cpuFigure(base, cs, bs, f.target, noisy);
      if (cpu) records.push(cpu);
    }
  }
  log(
    `  ${title}: self ${selfRatio.toFixed(3)}×${noisy ? ' NOISY' : ''}  ${records.map(describeRecord).join('  ')}`,
  );
  return { records, selfRatio, noisy, stats, mismatched };
}

/** One figure for the log: the ratio (×) and, when measured, the two medians behind it in their unit. */
function describeRecord(r: FigureRecord): string {
  const values =
    Number.isFinite(r.candidateValue) && Number.isFinite(r.baselineValue)
      ? ` (${r.candidateValue} vs ${r.baselineValue} ${r.unit})`
      : '';
  return `${r.candidate}/${r.baseline} ${r.metric} ${r.ratio.toFixed(3)}×${values}`;
}
