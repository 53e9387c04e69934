import { describe, expect, it } from 'vitest';
import {
  couldBeJudgedBy,
  type Projectable,
  projectedBand,
  standardErrorScale,
  wantsAnotherRound,
} from '../src/harness/extra-rounds.js';
import { parseTarget } from '../src/harness/figures.js';
import { judgeRatio, noiseBand, stdev } from '../src/harness/judgement.js';

/** A figure as `figureRecords` would record it from these per-round ratios and self ratios. */
function record(rounds: number[], self: number[], target: string): Projectable {
  const center = [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  const ratio =
    rounds.length % 2 ? center : (center + [...rounds].sort((a, b) => a - b)[rounds.length / 2 - 1]!) / 2;
  const band = noiseBand({ self, rounds });
  const sorted = [...self].sort((a, b) => a - b);
  const selfRatio =
    self.length % 2
      ? sorted[(self.length - 1) / 2]!
      : (sorted[self.length / 2 - 1]! + sorted[self.length / 2]!) / 2;
  return {
    ratio,
    band: Math.abs(ratio) * band,
    selfRatio,
    rounds,
    target,
    verdict: judgeRatio(ratio, parseTarget(target), band),
  };
}

/** `n` self ratios around 1 with sample standard deviation `sd` and median 1 (n even). */
function selfWith(sd: number, n: number): number[] {
  const unit = Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1));
  const s = stdev(unit);
  return unit.map((u) => 1 + (u * sd) / s);
}

describe('parseTarget', () => {
  it('reads back what describeTarget writes', () => {
    expect(parseTarget('>= 0.95')).toEqual({ op: '>=', value: 0.95 });
    expect(parseTarget('<= 1.05')).toEqual({ op: '<=', value: 1.05 });
    expect(parseTarget('0.90..1.10')).toEqual({ op: 'within', value: 0.9, max: 1.1 });
    expect(parseTarget('(info)')).toBeUndefined();
  });
});

describe('projected band', () => {
  it('is the band noiseBand gives at k rounds when the scatter stays the same', () => {
    const now = record([0.9, 0.9], selfWith(0.04, 2), '>= 0.95');
    const later = noiseBand({ self: selfWith(0.04, 8), rounds: Array(8).fill(0.9) });
    expect(projectedBand(now, 8)).toBeCloseTo(later, 3);
    expect(standardErrorScale(8) / standardErrorScale(2)).toBeLessThan(0.12);
  });

  it('never falls below the floor or the self bias, which more rounds do not narrow', () => {
    const biased = record([0.9, 0.9], [1.05, 1.05], '>= 0.95');
    expect(projectedBand(biased, 1000)).toBeCloseTo(0.05, 10);
    expect(projectedBand(record([0.9, 0.9], [1, 1], '>= 0.95'), 1000)).toBe(0.01);
  });
});

describe('extra rounds', () => {
  it('go to a group whose within-noise figure a few more rounds would judge', () => {
    // 0.85 against >= 0.95: 12 % away; ±4 % self scatter gives a ±36 % band at two rounds, ±4 % at eight.
    const near = record([0.85, 0.85], selfWith(0.04, 2), '>= 0.95');
    expect(near.verdict).toBe('within noise');
    expect(couldBeJudgedBy(near, 8)).toBe(true);
    expect(wantsAnotherRound([near], 2, 8)).toBe(true);
  });

  it('not to a group whose within-noise figures sit within the floor or the bias of their target', () => {
    const onTarget = record([0.955, 0.955], selfWith(0.01, 2), '>= 0.95');
    const inBias = record([0.92, 0.92], [1.06, 1.06], '>= 0.95');
    expect([onTarget.verdict, inBias.verdict]).toEqual(['within noise', 'within noise']);
    expect(couldBeJudgedBy(onTarget, 8)).toBe(false);
    expect(couldBeJudgedBy(inBias, 8)).toBe(false);
    expect(wantsAnotherRound([onTarget, inBias], 2, 8)).toBe(false);
    // Nor where even maxRounds would leave the band wider than the distance.
    const wild = record([0.5, 1.5], [1, 1], '>= 0.95');
    expect(wild.verdict).toBe('within noise');
    expect(couldBeJudgedBy(wild, 8)).toBe(false);
    expect(couldBeJudgedBy(wild, 1e6)).toBe(true);
  });

  it('stop at maxRounds, and when nothing is within noise', () => {
    const near = record([0.85, 0.85], selfWith(0.04, 2), '>= 0.95');
    expect(wantsAnotherRound([near], 8, 8)).toBe(false);
    const judged = record([0.5, 0.5], [1, 1], '>= 0.95');
    expect(judged.verdict).toBe('fail');
    expect(wantsAnotherRound([judged, { ...judged, target: '(info)', verdict: 'info' }], 2, 8)).toBe(false);
  });

  it('are asked for by a figure with nothing to project from', () => {
    const blank = {
      ratio: Number.NaN,
      band: Number.NaN,
      selfRatio: Number.NaN,
      rounds: [0.9],
      target: '>= 0.95',
      verdict: 'within noise' as const,
    };
    expect(wantsAnotherRound([blank], 1, 8)).toBe(true);
  });
});
