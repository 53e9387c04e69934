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
 * How many standard errors of the median a distance must exceed: ~2 is a two-sided 95 % interval, so a
 * verdict flips between two runs only when the figure really sits near the edge of its band.
 */
export const BAND_Z = 2;

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
 * The standard error of a median of `n` values with standard deviation `sd`: ~1.25 · sd / √n (the
 * asymptotic efficiency of the median for normal data, √(π/2)).
 */
export function medianStandardError(sd: number, n: number): number {
  return (Math.sqrt(Math.PI / 2) * sd) / Math.sqrt(n);
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
 * - `BAND_Z` standard errors of a median, from the larger of the self ratios' standard deviation and the
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
  return Math.max(floor, bias, BAND_Z * medianStandardError(sd, n));
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

/**
 * Whether a group should run another round: some figure with a target is still within noise, and the group
 * has rounds left. More rounds narrow the standard-error part of the band (not the floor or the bias).
 */
export function wantsAnotherRound(verdicts: readonly Verdict[], rounds: number, maxRounds: number): boolean {
  return rounds < maxRounds && verdicts.includes('within noise');
}
