import { describe, expect, it } from 'vitest';
import { type Phase, type Span, compareLatency, median } from '../src/scenarios/latency-phases.js';

function phase(kind: 'A' | 'B', times: number[], at: number): Phase {
  return {
    kind,
    times,
    probeSpans: times.map((t, i) => ({ startedAt: at + i * 30, endedAt: at + i * 30 + t })),
    probeFailures: times.filter((t) => !Number.isFinite(t)).length,
    startedAt: at,
    endedAt: at + times.length * 30,
    lagMaxMs: 1,
    lagP99Ms: 1,
    gcMs: 1,
  };
}

const flat = (ms: number, n = 100) => Array.from({ length: n }, () => ms);

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('compareLatency', () => {
  it('holds at 2 x the ordinary p95 + 20 ms and not a millisecond past it', () => {
    const a = [phase('A', flat(10), 0), phase('A', flat(10), 10_000)];
    expect(compareLatency([...a, phase('B', flat(40), 5_000)], []).held).toBe(true);
    expect(compareLatency([...a, phase('B', flat(41), 5_000)], []).held).toBe(false);
  });

  it('takes the median of the phases, so one phase hit by noise does not decide on either side', () => {
    const phases = [
      phase('A', flat(10), 0),
      phase('B', flat(30), 3_000),
      phase('B', flat(200), 6_000),
      phase('A', flat(10), 9_000),
      phase('A', flat(10), 12_000),
      phase('B', flat(30), 15_000),
      phase('B', flat(30), 18_000),
      phase('A', flat(90), 21_000),
    ];
    const verdict = compareLatency(phases, []);
    expect(verdict.ordinaryP95).toBe(10);
    expect(verdict.hostileP95).toBe(30);
    expect(verdict.held).toBe(true);
  });

  it('fails on a failed probe, and names the kinds in flight while probes were slow', () => {
    const b = phase('B', [...flat(5, 99), Number.POSITIVE_INFINITY], 1_000);
    const failed = compareLatency([phase('A', flat(5), 0), b], []);
    expect(failed.held).toBe(false);
    expect(failed.figure).toContain('1 probes failed');

    const slow = phase('B', [...flat(5, 90), ...flat(100, 10)], 1_000);
    const spans: Span[] = [
      { kind: 'deep nesting', startedAt: 1_000 + 90 * 30, endedAt: 1_000 + 100 * 30 },
      ...Array.from({ length: 9 }, (_, i) => ({
        kind: 'NUL bytes',
        startedAt: 1_000 + i * 30,
        endedAt: 1_010 + i * 30,
      })),
    ];
    const verdict = compareLatency([phase('A', flat(5), 0), slow], spans);
    expect(verdict.held).toBe(false);
    expect(verdict.figure).toContain(
      '10 probes over the bound; in flight during them: deep nesting 10/10 (10 % of requests)',
    );
  });
});
