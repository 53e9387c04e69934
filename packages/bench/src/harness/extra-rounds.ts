/**
 * Which groups deserve the rounds beyond their own count: pure, unit-tested without a database
 * (`test/extra-rounds.test.ts`).
 *
 * With a 95 % t quantile in the band (`judgement.ts`), two rounds judge little and every group has figures
 * within noise, so "some figure is within noise" no longer tells a group that a few more rounds would judge
 * something from one that would spend them in vain: a figure within 1 % of its target, or within the self
 * bias, which more rounds do not narrow. A group asks for an extra round only when, at its present scatter,
 * the band at `maxRounds` would clear some within-noise figure's distance to its target, so the budget's
 * extra rounds go to the groups a few rounds would judge and the rest of the time to the groups after them.
 */
import { parseTarget } from './figures.js';
import { BAND_FLOOR, bandMultiplier, medianStandardError } from './judgement.js';
import type { FigureRecord } from './types.js';

/** What a projection reads of a figure record. */
export type Projectable = Pick<
  FigureRecord,
  'ratio' | 'band' | 'selfRatio' | 'rounds' | 'target' | 'verdict'
>;

/** The standard-error part of a relative band per unit of scatter at `n` rounds: t(n − 1) · c(n) / √n. */
export function standardErrorScale(n: number): number {
  return bandMultiplier(n) * medianStandardError(1, n);
}

function finiteRounds(f: Projectable): number {
  return f.rounds.filter(Number.isFinite).length;
}

/**
 * The relative band a figure would have after `k` rounds if its scatter and self bias stayed as they are:
 * the part more rounds cannot narrow (the floor, |self ratio − 1|) or the present band scaled from its
 * rounds' t quantile and √n to `k`'s, whichever is larger. The present band is taken whole as its
 * standard-error part, an upper bound (it may be the bias or the floor), so the projection errs wide.
 */
export function projectedBand(f: Projectable, k: number): number {
  const bias = Number.isFinite(f.selfRatio) ? Math.abs(f.selfRatio - 1) : 0;
  const fixed = Math.max(BAND_FLOOR, bias);
  const relative = f.band / Math.abs(f.ratio);
  return Math.max(fixed, (relative * standardErrorScale(k)) / standardErrorScale(finiteRounds(f)));
}

/**
 * Whether `k` rounds could judge the figure at its present scatter: its projected band is narrower than its
 * distance to the nearest bound of its target. A figure with nothing to project from (fewer than two finite
 * rounds, a band or ratio not finite, a ratio of 0) could: more rounds are the only way to learn.
 */
export function couldBeJudgedBy(f: Projectable, k: number): boolean {
  const target = parseTarget(f.target);
  if (!target) return false;
  if (finiteRounds(f) < 2 || !Number.isFinite(f.ratio) || !Number.isFinite(f.band) || f.ratio === 0)
    return true;
  const bounds = target.max === undefined ? [target.value] : [target.value, target.max];
  const distance = Math.min(...bounds.map((b) => Math.abs(f.ratio - b))) / Math.abs(f.ratio);
  return projectedBand(f, k) < distance;
}

/**
 * Whether a group should run another round: it has rounds left, and some figure within noise could be judged
 * within them (`couldBeJudgedBy` at `maxRounds`). More rounds narrow only the standard-error part of a band.
 */
export function wantsAnotherRound(
  records: readonly Projectable[],
  rounds: number,
  maxRounds: number,
): boolean {
  return (
    rounds < maxRounds && records.some((f) => f.verdict === 'within noise' && couldBeJudgedBy(f, maxRounds))
  );
}
