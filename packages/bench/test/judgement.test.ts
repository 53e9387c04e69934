import { describe, expect, it } from 'vitest';
import { cpuTarget, emptyStats, figureRecords, type ContenderStats } from '../src/harness/figures.js';
import {
  BAND_FLOOR,
  bandMultiplier,
  judgeRatio,
  medianStandardError,
  noiseBand,
  passOf,
  stdev,
  verdictOf,
} from '../src/harness/judgement.js';
import { summarize } from '../src/report/write.js';

describe('noise band', () => {
  it('is the floor when the self-baseline and the figure are steady', () => {
    expect(noiseBand({ self: [1, 1, 1, 1], rounds: [0.8, 0.8, 0.8] })).toBe(BAND_FLOOR);
    expect(noiseBand({ self: [1, 1], rounds: [2, 2], floor: 0.005 })).toBe(0.005);
  });

  it('grows with the self-baseline scatter and shrinks with the number of rounds', () => {
    const self5 = [0.96, 1.04, 0.98, 1.02, 1.0];
    const band5 = noiseBand({ self: self5, rounds: [0.9, 0.9, 0.9, 0.9, 0.9] });
    expect(band5).toBeCloseTo(2.776 * medianStandardError(stdev(self5), 5), 10);
    const self10 = [...self5, ...self5];
    const band10 = noiseBand({ self: self10, rounds: Array(10).fill(0.9) });
    expect(band10).toBeLessThan(band5);
  });

  it("takes the figure's own relative scatter when it exceeds the self-baseline's", () => {
    const rounds = [0.5, 0.6, 0.4];
    const band = noiseBand({ self: [1, 1, 1], rounds });
    expect(band).toBeCloseTo(4.303 * medianStandardError(stdev([1, 1.2, 0.8]), 3), 10);
  });

  it("takes the 95 % t quantile for the rounds' degrees of freedom, not a fixed 2", () => {
    expect([2, 3, 8, 30].map(bandMultiplier)).toEqual([12.706, 4.303, 2.365, 2.045]);
    expect(bandMultiplier(100)).toBe(2.042);
    expect(bandMultiplier(1)).toBe(Number.POSITIVE_INFINITY);
    expect(bandMultiplier(0)).toBe(Number.POSITIVE_INFINITY);
    // The band at n rounds with the same relative scatter sd: t(n − 1) · c(n) · sd / √n, c = 1 at two rounds
    // (the median of two is their mean) and √(π/2) from three on.
    const sd = 0.05;
    const c = Math.sqrt(Math.PI / 2);
    const at = (n: number) =>
      noiseBand({
        self: Array.from({ length: n }, (_, i) => (i % 2 ? 1 - sd : 1 + sd)),
        rounds: Array(n).fill(1),
        floor: 0,
      });
    const sdOf = (n: number) => stdev(Array.from({ length: n }, (_, i) => (i % 2 ? 1 - sd : 1 + sd)));
    expect(at(2)).toBeCloseTo((12.706 * sdOf(2)) / Math.sqrt(2), 10);
    expect(at(3)).toBeCloseTo((4.303 * c * sdOf(3)) / Math.sqrt(3), 10);
    expect(at(8)).toBeCloseTo((2.365 * c * sdOf(8)) / Math.sqrt(8), 10);
    expect(at(30)).toBeCloseTo((2.045 * c * sdOf(30)) / Math.sqrt(30), 10);
    // Two rounds 5 % either side of 1: a ±64 % band, not the ±12.5 % a fixed z = 2 with 1.25 gave.
    expect(at(2)).toBeGreaterThan(0.63);
  });

  it('judges at two rounds only a distance a 95 % interval of one degree of freedom clears', () => {
    const t = { op: '>=' as const, value: 0.95 };
    // Rounds 0.80 and 0.84 (sd 0.028, 3.5 % of the median): a fixed z gave ±0.05 and a fail; t gives ±0.25.
    const rounds = [0.8, 0.84];
    const band = noiseBand({ self: [1, 1], rounds });
    expect(judgeRatio(0.82, t, band)).toBe('within noise');
    expect(judgeRatio(0.5, t, noiseBand({ self: [1, 1], rounds: [0.5, 0.5] }))).toBe('fail');
  });

  it("never falls below the self-baseline's bias (its median's distance from 1)", () => {
    expect(noiseBand({ self: [1.05, 1.05, 1.05], rounds: [1, 1, 1] })).toBeCloseTo(0.05, 10);
  });

  it('is infinite (nothing judged) with fewer than two rounds, ignoring non-finite rounds', () => {
    expect(noiseBand({ self: [1], rounds: [0.5] })).toBe(Number.POSITIVE_INFINITY);
    expect(noiseBand({ self: [1, Number.NaN], rounds: [0.5, 0.5] })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('verdict', () => {
  it('passes or fails only beyond the band, else "within noise"', () => {
    const t = { op: '>=' as const, value: 0.95 };
    expect(verdictOf(1.0, t, 0.02)).toBe('pass');
    expect(verdictOf(0.9, t, 0.02)).toBe('fail');
    expect(verdictOf(0.96, t, 0.02)).toBe('within noise');
    expect(verdictOf(0.94, t, 0.02)).toBe('within noise');
  });

  it('mirrors for <= targets and checks both bounds of a range', () => {
    expect(verdictOf(1.0, { op: '<=', value: 1.1 }, 0.05)).toBe('pass');
    expect(verdictOf(1.2, { op: '<=', value: 1.1 }, 0.05)).toBe('fail');
    const within = { op: 'within' as const, value: 0.9, max: 1.1 };
    expect(verdictOf(1.0, within, 0.05)).toBe('pass');
    expect(verdictOf(1.08, within, 0.05)).toBe('within noise');
    expect(verdictOf(1.3, within, 0.05)).toBe('fail');
    expect(verdictOf(0.7, within, 0.05)).toBe('fail');
  });

  it('is "info" without a target and "within noise" when the value or the band is not finite', () => {
    expect(verdictOf(0.5, undefined, 0.01)).toBe('info');
    expect(verdictOf(Number.NaN, { op: '>=', value: 1 }, 0.01)).toBe('within noise');
    expect(verdictOf(2, { op: '>=', value: 1 }, Number.POSITIVE_INFINITY)).toBe('within noise');
  });

  it('applies a relative band at the figure itself', () => {
    // 2 % of 0.9 is 0.018: 0.9 is 0.05 below 0.95, beyond the band.
    expect(judgeRatio(0.9, { op: '>=', value: 0.95 }, 0.02)).toBe('fail');
    expect(judgeRatio(0.94, { op: '>=', value: 0.95 }, 0.02)).toBe('within noise');
  });

  it('maps to the tri-state pass field', () => {
    expect([passOf('pass'), passOf('fail'), passOf('within noise'), passOf('info')]).toEqual([
      true,
      false,
      null,
      null,
    ]);
  });
});

function stats(throughput: number[], cpuPerOp: number[], p99 = throughput.map(() => 1)): ContenderStats {
  return { ...emptyStats(), throughput, cpuPerOp, p99, p50: p99, meanLatency: p99 };
}

describe('figure records', () => {
  const base = stats([1000, 1010, 990, 1000, 1005], [100, 101, 99, 100, 100]);
  const self = stats([1002, 1008, 992, 998, 1003], [100.5, 100, 99.5, 100.2, 99.8]);
  const berth = stats([700, 720, 600, 800, 650], [150, 151, 149, 150, 150]);
  const ctx = (judgeBy: 'cpu' | 'throughput') => ({
    backend: 'postgres',
    workload: 'w',
    judgeBy,
    baseline: 'raw',
    self,
    stats: new Map([
      ['raw', base],
      ['berth', berth],
    ]),
    mismatched: new Map<string, string>(),
  });
  const spec = {
    id: 'B1',
    candidate: 'berth',
    baseline: 'raw',
    metric: 'throughput' as const,
    target: { op: '>=' as const, value: 0.95 },
  };

  it('judges a CPU-bound group by CPU per operation and reports its throughput beside it', () => {
    const [throughput, cpu] = figureRecords(spec, ctx('cpu'));
    expect(throughput!.verdict).toBe('info');
    expect(throughput!.target).toBe('>= 0.95');
    expect(cpu!.id).toBe('B9');
    expect(cpu!.target).toBe('<= 1.05');
    expect(cpu!.ratio).toBeCloseTo(1.5, 2);
    expect(cpu!.verdict).toBe('fail');
    expect(cpu!.selfRatio).toBeCloseTo(1, 2);
  });

  it('judges by throughput where asked, the CPU figure then being informative', () => {
    const [throughput, cpu] = figureRecords(spec, ctx('throughput'));
    expect(throughput!.verdict).toBe('fail');
    expect(cpu!.verdict).toBe('info');
  });

  it("takes the self ratio against the group's baseline for a figure against another contender", () => {
    // A peer three times slower than raw, berth steadily 0.4× the peer's CPU: A′ ÷ peer would be ~3× (its
    // median's distance from 1 a "bias" of ~2, wider than any figure), A′ ÷ raw is ~1.
    const peer = stats([333, 337, 330, 333, 335], [300, 303, 297, 300, 300]);
    const fast = stats([833, 842, 825, 833, 837], [120, 121, 119, 120, 120]);
    const c = { ...ctx('cpu'), stats: new Map([...ctx('cpu').stats, ['peer', peer], ['fast', fast]]) };
    const vsPeer = { ...spec, candidate: 'fast', baseline: 'peer', target: { op: '>=' as const, value: 1 } };
    const [, cpu] = figureRecords(vsPeer, c);
    expect(cpu!.ratio).toBeCloseTo(0.4, 2);
    expect(cpu!.selfRatio).toBeCloseTo(1, 2);
    expect(cpu!.band).toBeLessThan(0.02);
    expect(cpu!.verdict).toBe('pass');
    // The figure's own scatter still counts: 0.96× its peer, scattering ±5 %, stays within noise of 1.
    const near = stats([333, 337, 330, 333, 335], [288, 320, 270, 300, 282]);
    const c2 = { ...c, stats: new Map([...c.stats, ['near', near]]) };
    const [, nearCpu] = figureRecords({ ...vsPeer, candidate: 'near' }, c2);
    expect(nearCpu!.ratio).toBeCloseTo(0.96, 2);
    expect(nearCpu!.verdict).toBe('within noise');
  });

  it('fails a figure whose candidate was excluded by the equality check', () => {
    const c = { ...ctx('cpu'), mismatched: new Map([['berth', 'results differ']]) };
    const [record] = figureRecords(spec, c);
    expect(record!.verdict).toBe('fail');
    expect(record!.note).toBe('results differ');
  });

  it('inverts a throughput target for CPU and has none for other targets', () => {
    expect(cpuTarget({ op: '>=', value: 0.8 })).toEqual({ op: '<=', value: 1.25 });
    expect(cpuTarget({ op: '<=', value: 1.1 })).toBeUndefined();
    expect(cpuTarget(undefined)).toBeUndefined();
  });

  it('counts judged figures against the figures with a target', () => {
    const records = [...figureRecords(spec, ctx('cpu')), ...figureRecords(spec, ctx('throughput'))];
    expect(summarize(records)).toEqual({
      targeted: 2,
      judged: 2,
      passed: 0,
      failed: 2,
      noisy: 0,
      judgedShare: 100,
    });
  });
});
