import { describe, expect, it } from 'vitest';
import { firstDifference } from '../src/harness/equal.js';
import { closedLoop } from '../src/harness/measure.js';
import {
  littlesLawLatencyMs,
  median,
  palindrome,
  percentile,
  relativeError,
  roundRatio,
  spread,
} from '../src/harness/stats.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([1, 2], 50)).toBe(1.5);
    expect(percentile([5], 99)).toBe(5);
  });
});

describe('spread', () => {
  it('is half the range of the per-round ratios', () => {
    expect(spread([0.9, 1.0, 1.1])).toBeCloseTo(0.1);
    expect(spread([1, 1])).toBe(0);
  });
});

describe('A-B-B-A ordering', () => {
  it('is a palindrome: A-B-B-A for two, A-B-C-C-B-A for three', () => {
    expect(palindrome(['A', 'B'])).toEqual(['A', 'B', 'B', 'A']);
    expect(palindrome(['A', 'B', 'C'])).toEqual(['A', 'B', 'C', 'C', 'B', 'A']);
  });
  it('cancels a drift linear in time out of the round ratio', () => {
    // Throughput falling by 10 per segment: A at t=0 and t=3, B at t=1 and t=2 — both average 1.5 slots.
    const at = (t: number) => 100 - 10 * t;
    expect(roundRatio([at(1), at(2)], [at(0), at(3)])).toBe(1);
  });
});

describe("Little's law", () => {
  it('gives callers / throughput in milliseconds', () => {
    expect(littlesLawLatencyMs(64, 32_000)).toBe(2);
    expect(relativeError(2.2, 2)).toBeCloseTo(0.1);
  });
  it('holds for a closed loop of fixed-latency operations', async () => {
    const sleep = () => new Promise((resolve) => setTimeout(resolve, 5));
    // A second, not less: the loop's end (the last callers finishing, the event loop's turn back to the
    // caller) falls outside the law, and on a loaded machine it is tens of milliseconds.
    const s = await closedLoop(sleep, { callers: 8, durationMs: 1_000 });
    expect(s.meanLatency / littlesLawLatencyMs(8, s.throughput)).toBeGreaterThan(0.8);
    expect(s.meanLatency / littlesLawLatencyMs(8, s.throughput)).toBeLessThan(1.2);
  });
});

describe('closed loop', () => {
  it('runs exactly `ops` operations with fresh sequence numbers', async () => {
    const seen: number[] = [];
    const s = await closedLoop(async (i) => void seen.push(i), { callers: 3, ops: 10, start: 5 });
    expect(s.ops).toBe(10);
    expect(seen.sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });
});

describe('equality check', () => {
  it('compares dates by instant and objects by keys', () => {
    expect(firstDifference({ a: new Date(1), b: [1] }, { b: [1], a: new Date(1) })).toBeUndefined();
    expect(firstDifference({ a: 1 }, { a: '1' })).toContain('$.a');
    expect(firstDifference([1, 2], [1])).toContain('length');
  });
});
