/**
 * From a group's per-round measurements to its figure records and verdicts: pure, unit-tested without a
 * database (`test/judgement.test.ts`).
 */
import { judgeRatio, noiseBand, passOf, type Verdict } from './judgement.js';
import { median, round, spread } from './stats.js';
import type { FigureRecord, TargetSpec } from './types.js';

/**
 * Which figure of a closed-loop group carries the verdict of a throughput target:
 *
 * - `cpu`: CPU µs per operation of the bench process (B9). Where the client's CPU is what limits throughput
 *   (closed loops over loopback, with the database on the same two cores), it measures what berth adds per
 *   call without counting the time spent waiting for the server or for other processes, so it is far steadier
 *   than throughput; the throughput ratio is reported beside it, not judged.
 * - `throughput`: the throughput ratio itself, where the server or the network is the bottleneck (a query
 *   that sleeps on the server, HTTP load from another process, statements the server spends milliseconds on);
 *   the CPU figure is then reported, not judged.
 */
export type JudgeBy = 'cpu' | 'throughput';

/** A figure a group reports: candidate against baseline, in one metric, maybe with a target. */
export interface FigureSpec {
  id: string;
  candidate: string;
  baseline: string;
  metric: 'throughput' | 'p99';
  target?: TargetSpec;
  note?: string;
}

/** A contender's measurements, one value per round (the mean of its segments in that round). */
export interface ContenderStats {
  throughput: number[];
  p50: number[];
  p99: number[];
  meanLatency: number[];
  /** CPU µs per operation (empty where the workload measures its own segments). */
  cpuPerOp: number[];
}

export function emptyStats(): ContenderStats {
  return { throughput: [], p50: [], p99: [], meanLatency: [], cpuPerOp: [] };
}

type Series = 'throughput' | 'p99' | 'cpuPerOp';

/** Per-round ratios of `a` to `b` in one series (as many as both have). */
export function perRound(a: ContenderStats, b: ContenderStats, key: Series): number[] {
  const n = Math.min(a[key].length, b[key].length);
  return Array.from({ length: n }, (_, r) => a[key][r]! / b[key][r]!);
}

export interface FigureContext {
  backend: string;
  workload: string;
  judgeBy: JudgeBy;
  /**
   * The group's baseline (A): the self ratio A′ ÷ A of every figure is taken against it, whatever the
   * figure's own baseline (a peer, the prepared raw driver), since only A′ ÷ A compares two identical
   * contenders.
   */
  baseline: string;
  /** The baseline measured against itself in every round (A′). */
  self: ContenderStats;
  stats: ReadonlyMap<string, ContenderStats>;
  /** Contenders excluded by the equality check, with the reason. */
  mismatched: ReadonlyMap<string, string>;
}

/** The target as text, for example ">= 0.95"; "(info)" without one. */
export function describeTarget(target: TargetSpec | undefined): string {
  if (!target) return '(info)';
  if (target.op === 'within')
    return `${target.value.toFixed(2)}..${(target.max ?? Number.POSITIVE_INFINITY).toFixed(2)}`;
  return `${target.op} ${target.value.toFixed(2)}`;
}

/** The target of a `describeTarget` text ("(info)": none), for what reads a record back. */
export function parseTarget(text: string): TargetSpec | undefined {
  const bound = /^(>=|<=) (\S+)$/.exec(text);
  if (bound) return { op: bound[1] as '>=' | '<=', value: Number(bound[2]) };
  const range = /^(\S+)\.\.(\S+)$/.exec(text);
  if (range) return { op: 'within', value: Number(range[1]), max: Number(range[2]) };
  return undefined;
}

/** The CPU target of a throughput target: ≥ 0.95× the throughput is ≤ 1/0.95 the CPU per operation. */
export function cpuTarget(throughputTarget: TargetSpec | undefined): TargetSpec | undefined {
  return throughputTarget?.op === '>='
    ? { op: '<=', value: round(1 / throughputTarget.value, 4) }
    : undefined;
}

function ratioRecord(
  base: Omit<
    FigureRecord,
    'ratio' | 'spread' | 'rounds' | 'verdict' | 'pass' | 'noisy' | 'band' | 'selfRatio'
  >,
  ratios: number[],
  selfRatios: number[],
  target: TargetSpec | undefined,
  judged: boolean,
  values: { candidate: number; baseline: number },
): FigureRecord {
  const ratio = median(ratios);
  const band = noiseBand({ self: selfRatios, rounds: ratios });
  const verdict: Verdict = judged ? judgeRatio(ratio, target, band) : 'info';
  return {
    ...base,
    ratio: round(ratio, 4),
    spread: round(spread(ratios), 4),
    rounds: ratios.map((v) => round(v, 4)),
    verdict,
    pass: passOf(verdict),
    noisy: verdict === 'within noise',
    band: round(Math.abs(ratio) * band, 4),
    selfRatio: round(median(selfRatios), 4),
    candidateValue: round(values.candidate, 3),
    baselineValue: round(values.baseline, 3),
  };
}

/**
 * The records of one figure spec: the figure itself and, beside a throughput figure whose contenders
 * measured CPU, its B9 twin (CPU µs per operation, candidate ÷ baseline, target the inverse). Which of the
 * two is judged follows `judgeBy`; the other is reported with its target and the verdict "info".
 */
export function figureRecords(f: FigureSpec, ctx: FigureContext): FigureRecord[] {
  const workload = ctx.workload;
  const common = {
    id: f.id,
    backend: ctx.backend,
    workload,
    candidate: f.candidate,
    baseline: f.baseline,
    metric: f.metric as string,
    target: describeTarget(f.target),
    candidateValue: Number.NaN,
    baselineValue: Number.NaN,
    unit: f.metric === 'throughput' ? 'ops/s' : 'ms',
    ...(f.note ? { note: f.note } : {}),
  };
  const bad = ctx.mismatched.get(f.candidate) ?? ctx.mismatched.get(f.baseline);
  const cs = ctx.stats.get(f.candidate);
  const bs = ctx.stats.get(f.baseline);
  if (bad || !cs || !bs) {
    const verdict: Verdict = f.target ? 'fail' : 'info';
    return [
      {
        ...common,
        ratio: Number.NaN,
        spread: Number.NaN,
        rounds: [],
        verdict,
        pass: passOf(verdict),
        noisy: false,
        band: Number.NaN,
        selfRatio: Number.NaN,
        note: bad ?? 'not measured',
      },
    ];
  }
  // The noise reference: A′ ÷ A of the group's baseline. A′ ÷ (a peer) would put the peer's real distance
  // from A into the band's bias term (a band of ±0.8 around berth ÷ mikro-orm in the run of 2026-12-03).
  const as = ctx.stats.get(ctx.baseline) ?? bs;
  const hasCpu =
    f.metric === 'throughput' &&
    cs.cpuPerOp.length > 0 &&
    cs.cpuPerOp.length === bs.cpuPerOp.length &&
    ctx.self.cpuPerOp.length === bs.cpuPerOp.length &&
    ctx.self.cpuPerOp.length === as.cpuPerOp.length;
  const byCpu = hasCpu && ctx.judgeBy === 'cpu';
  const key = f.metric === 'throughput' ? 'throughput' : 'p99';
  const records: FigureRecord[] = [];
  const main = ratioRecord(
    common,
    perRound(cs, bs, key),
    perRound(ctx.self, as, key),
    f.target,
    f.metric !== 'throughput' || !byCpu,
    { candidate: median(cs[key]), baseline: median(bs[key]) },
  );
  if (byCpu && f.target) main.note = [f.note, 'judged by CPU per operation (B9)'].filter(Boolean).join('; ');
  records.push(main);
  if (hasCpu) {
    records.push(
      ratioRecord(
        {
          ...common,
          id: 'B9',
          metric: 'cpu µs/op',
          target: describeTarget(cpuTarget(f.target)),
          unit: 'µs/op',
          note: `${f.id}'s workload, CPU per operation of this process${byCpu || !f.target ? '' : ' (judged by throughput)'}`,
        },
        perRound(cs, bs, 'cpuPerOp'),
        perRound(ctx.self, as, 'cpuPerOp'),
        cpuTarget(f.target),
        byCpu,
        { candidate: median(cs.cpuPerOp), baseline: median(bs.cpuPerOp) },
      ),
    );
  }
  return records;
}
