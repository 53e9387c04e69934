/**
 * How a figure is judged against its target: pure functions, unit-tested without a database.
 *
 * A figure is the median of per-round ratios (candidate ÷ baseline). In every round the baseline is also
 * measured against itself (A-A′-…-A′-A), so each round gives a self ratio A′ ÷ A of two identical contenders
 * in the same positions as the real ones. Their scatter is what the machine's noise does to a ratio here and
 * now; the noise band derived from it (and from the figure's own scatter) decides whether the distance
 * between a figure and its target means anything. Beyond the band: pass or fail. Within it: "within noise".
 */
import { median } from './stats.js';
import type { TargetSpec, Verdict } from './types.js';

export type { Verdict };

/** The smallest band: a figure 1 % from its target is never judged, however quiet the machine. */
export const BAND_FLOOR = 0.01;

/**
 * Two-sided 95 % quantiles of Student's t for 1 to 30 degrees of freedom. A band from n rounds estimates the
 * standard deviation from those n values, itself uncertain at small n: a fixed z of 2 made a two-round band
 * (one degree of freedom, t = 12.7) six times narrower than a 95 % interval, so two-round verdicts were
 * optimistic and two runs could disagree on them. Beyond 30 the table's last value is kept (it falls only
 * to 1.96): a slightly wide band, never a narrow one.
 */
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * How many standard errors of the median a distance must exceed with `n` rounds: the two-sided 95 % t
 * quantile for n − 1 degrees of freedom (12.7 at 2 rounds, 4.3 at 3, 2.36 at 8, 2.05 at 30); infinite below
 * two rounds (no scatter to judge with).
 */
export function bandMultiplier(n: number): number {
  if (!(n >= 2)) return Number.POSITIVE_INFINITY;
  return T95[Math.min(Math.floor(n) - 1, T95.length) - 1]!;
}

/** Sample standard deviation (n − 1); NaN for fewer than two values. */
export function stdev(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  const m = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - m) ** 2;
  return Math.sqrt(sq / (values.length - 1));
}

/**
 * The standard error of a median of `n` values with standard deviation `sd`. For two values the median is
 * their mean: sd / √2, and the t quantile is then exact for normal rounds. From three on, ~1.25 · sd / √n
 * (√(π/2), the median's asymptotic efficiency for normal data); it stays because it bounds the small-sample
 * factor from above (a simulation of normal rounds gives 1.16 at 3, 1.09 at 4, 1.20 at 5, 1.16 at 8, 1.23 at
 * 30), so the band errs wide, never narrow.
 */
export function medianStandardError(sd: number, n: number): number {
  return ((n <= 2 ? 1 : Math.sqrt(Math.PI / 2)) * sd) / Math.sqrt(n);
}

export interface NoiseInputs {
  /** The self-baseline's per-round ratios (A′ ÷ A), in the figure's metric. */
  self: readonly number[];
  /** The figure's per-round ratios. */
  rounds: readonly number[];
  /** The smallest band returned (default `BAND_FLOOR`). */
  floor?: number;
}

/**
 * The relative noise band of a ratio figure (0.02 = ±2 % of the figure), the largest of:
 *
 * - the self-baseline's bias: how far the median of A′ ÷ A is from 1 (an effect of the segment's position
 *   the palindrome does not cancel, say the first segment after a switch paying for cold caches);
 * - `bandMultiplier(n)` (a 95 % t quantile) standard errors of a median, from the larger of the self ratios' standard deviation and the
 *   figure's own (relative to its median: a candidate can scatter more than the baseline, with GC pauses);
 * - `floor`.
 *
 * Infinite (nothing can be judged) with fewer than two rounds of either.
 */
export function noiseBand({ self, rounds, floor = BAND_FLOOR }: NoiseInputs): number {
  const selfOk = self.filter(Number.isFinite);
  const roundsOk = rounds.filter(Number.isFinite);
  if (selfOk.length < 2 || roundsOk.length < 2) return Number.POSITIVE_INFINITY;
  const bias = Math.abs(median(selfOk) - 1);
  const center = median(roundsOk);
  const relative = center === 0 ? roundsOk : roundsOk.map((r) => r / center);
  const sd = Math.max(stdev(selfOk), stdev(relative));
  const n = Math.min(selfOk.length, roundsOk.length);
  return Math.max(floor, bias, bandMultiplier(n) * medianStandardError(sd, n));
}

/**
 * Judges `value` against `target` with an absolute `band` (in the value's unit): pass or fail only when the
 * value is beyond the band on the right or wrong side of every bound, "within noise" when it is within the
 * band of a bound (or the band or the value is not finite), "info" without a target.
 */
export function verdictOf(value: number, target: TargetSpec | undefined, band: number): Verdict {
  if (!target) return 'info';
  if (!Number.isFinite(value) || !Number.isFinite(band)) return 'within noise';
  // Each bound as a signed margin: positive on the good side.
  const margins: number[] = [];
  if (target.op === '>=') margins.push(value - target.value);
  else if (target.op === '<=') margins.push(target.value - value);
  else {
    margins.push(value - target.value);
    if (target.max !== undefined) margins.push(target.max - value);
  }
  if (margins.some((m) => m < -band)) return 'fail';
  if (margins.every((m) => m > band)) return 'pass';
  return 'within noise';
}

/** A ratio figure's verdict: the relative band applied at the figure's own value. */
export function judgeRatio(ratio: number, target: TargetSpec | undefined, relativeBand: number): Verdict {
  return verdictOf(ratio, target, Math.abs(ratio) * relativeBand);
}

/** The legacy tri-state of a verdict: true (pass), false (fail), null (not judged). */
export function passOf(verdict: Verdict): boolean | null {
  return verdict === 'pass' ? true : verdict === 'fail' ? false : null;
}
