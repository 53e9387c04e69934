import { describe, expect, it } from 'vitest';
import {
  allocate,
  backendBudgetMs,
  planBackends,
  EXTRA_ROUND_RESERVE,
  MIN_ROUNDS,
  nextRound,
  type RoundState,
  RunBudget,
  type WorkloadWindow,
  SEGMENT_CAP_FACTOR,
} from '../src/harness/budget.js';
import { type Settings, segmentBounds } from '../src/harness/group.js';
import { closedLoop } from '../src/harness/measure.js';

describe('allocate', () => {
  it('splits the total in proportion to the weights', () => {
    expect(allocate(1_000, [1, 3])).toEqual([250, 750]);
    expect(allocate(900, [1, 1, 1])).toEqual([300, 300, 300]);
  });

  it('gives nothing to a zero or negative weight, and nothing at all without time or weight', () => {
    expect(allocate(1_000, [0, 2, -1])).toEqual([0, 1_000, 0]);
    expect(allocate(1_000, [0, 0])).toEqual([0, 0]);
    expect(allocate(-5, [1, 2])).toEqual([0, 0]);
    expect(allocate(0, [1])).toEqual([0]);
  });
});

describe('planBackends', () => {
  it("splits the run among the backends by their steps' summed weights, before any step runs", () => {
    const steps = [
      { backend: 'postgres', weight: 0.1 },
      { backend: 'postgres', weight: 2.9 },
      { backend: 'mysql', weight: 0.1 },
      { backend: 'mysql', weight: 0.9 },
      { backend: 'none', weight: 0 },
    ];
    expect(planBackends(1_000_000, steps)).toEqual(
      new Map([
        ['postgres', 750_000],
        ['mysql', 250_000],
        ['none', 0],
      ]),
    );
  });
});

describe('backendBudgetMs', () => {
  it('keeps the planned share for a backend that starts after the one before it overran', () => {
    // The run's deadline (1,020 s) is 100 s away when MySQL starts: it still gets its 300 s.
    expect(backendBudgetMs(300_000, 1_020_000, 920_000, 1, 0)).toBe(300_000);
    // And past the deadline too: the old rule (a share of what is left) gave it 0 s, every group at its floor.
    expect(backendBudgetMs(300_000, 1_020_000, 1_500_000, 1, 0)).toBe(300_000);
  });

  it('gives a backend the time the ones before it left over, in its share against those after it', () => {
    // 600 s left, weight 1 against 1 after it: 300 s, more than its planned 200 s.
    expect(backendBudgetMs(200_000, 1_000_000, 400_000, 1, 1)).toBe(300_000);
    expect(backendBudgetMs(200_000, 1_000_000, 400_000, 1, 0)).toBe(600_000);
  });
});

describe('RunBudget', () => {
  it("gives each workload its weight's share of the time still left", () => {
    const budget = new RunBudget(0, 1_200_000);
    expect(budget.deadline).toBe(1_200_000);
    // Weight 1 of 4 in all, at the start: a quarter of 20 minutes.
    expect(budget.next('B1 postgres', 0, 1, 3)).toEqual({
      label: 'B1 postgres',
      start: 0,
      deadline: 300_000,
    });
  });

  it('passes the time a workload did not use to the ones after it', () => {
    const budget = new RunBudget(0, 1_200_000);
    // The first workload (weight 1 of 4) ended after 100 s instead of 300 s: 1,100 s are left for weight 3.
    const second = budget.next('B2 postgres', 100_000, 1, 2);
    expect(second.deadline - second.start).toBeCloseTo(1_100_000 / 3, 6);
  });

  it('takes an overrun out of the workloads after it, down to an empty window past the deadline', () => {
    const budget = new RunBudget(0, 1_000);
    const late = budget.next('B3 mysql', 900, 1, 1);
    expect(late.deadline - late.start).toBe(50);
    const past = budget.next('B4 mysql', 1_500, 1, 0);
    expect(past).toEqual({ label: 'B4 mysql', start: 1_500, deadline: 1_500 });
  });
});

describe('nextRound', () => {
  const window: WorkloadWindow = { label: 'B1 postgres', start: 0, deadline: 100_000 };
  const state = (over: Partial<RoundState>): RoundState => ({
    done: 1,
    rounds: 5,
    maxRounds: 8,
    wantsMore: false,
    roundMs: 10_000,
    now: 10_000,
    window,
    ...over,
  });

  it(`always runs the first ${MIN_ROUNDS} rounds, even past the deadline`, () => {
    expect(nextRound(state({ done: 1, now: 500_000 }))).toEqual({ more: true, cut: false });
  });

  it('runs fewer rounds only when the group asks for fewer than the minimum', () => {
    expect(nextRound(state({ done: 1, rounds: 1, maxRounds: 1 }))).toEqual({ more: false, cut: false });
  });

  it("runs the group's own rounds while the next one ends before the deadline", () => {
    expect(nextRound(state({ done: 3, now: 90_000, roundMs: 10_000 }))).toEqual({ more: true, cut: false });
  });

  it('cuts the rounds when the next one would end after the deadline, and says so', () => {
    expect(nextRound(state({ done: 3, now: 90_001, roundMs: 10_000 }))).toEqual({ more: false, cut: true });
  });

  it('stops after its own rounds when every figure is judged, without counting it a cut', () => {
    expect(nextRound(state({ done: 5, wantsMore: false }))).toEqual({ more: false, cut: false });
  });

  it('runs extra rounds for a figure within noise only while they leave the reserve to later groups', () => {
    const reserveStarts = window.deadline - EXTRA_ROUND_RESERVE * (window.deadline - window.start);
    expect(nextRound(state({ done: 5, wantsMore: true, now: reserveStarts - 10_000 }))).toEqual({
      more: true,
      cut: false,
    });
    expect(nextRound(state({ done: 5, wantsMore: true, now: reserveStarts - 9_999 }))).toEqual({
      more: false,
      cut: true,
    });
  });

  it('never goes past maxRounds', () => {
    expect(nextRound(state({ done: 8, wantsMore: true, now: 0, roundMs: 1 }))).toEqual({
      more: false,
      cut: false,
    });
  });

  it('without a window (a script running one group) runs every round the group asks for', () => {
    expect(nextRound(state({ done: 4, now: 10 ** 12, window: undefined }))).toEqual({
      more: true,
      cut: false,
    });
    expect(nextRound(state({ done: 6, wantsMore: true, window: undefined }))).toEqual({
      more: true,
      cut: false,
    });
  });
});

describe('segmentBounds', () => {
  const micro: Settings = { callers: 8, warmupMs: 300, warmupOps: 3000, segmentMs: 200, rounds: 3 };
  const bulk: Settings = { callers: 1, warmupMs: 0, segmentOps: 1, warmupOps: 1, rounds: 3 };

  it('runs a calibrated segment for its operation count, capped in time', () => {
    expect(segmentBounds(micro, false, 400)).toEqual({ ops: 400, durationMs: 200 * SEGMENT_CAP_FACTOR });
  });

  it('runs an uncalibrated segment for segmentMs, at most maxOps', () => {
    expect(segmentBounds({ ...micro, maxOps: 50 }, false, undefined)).toEqual({ ops: 50, durationMs: 200 });
  });

  it('runs a fixed-count group for its segmentOps, its warm-up for warmupOps, without a time limit', () => {
    expect(segmentBounds(bulk, false, undefined)).toEqual({ ops: 1 });
    expect(segmentBounds(bulk, true, undefined)).toEqual({ ops: 1 });
  });

  it('warms a timed group up for warmupMs', () => {
    expect(segmentBounds(micro, true, undefined)).toEqual({ durationMs: 300, ops: undefined });
  });

  it('stops a calibrated segment at the cap when the machine slows down meanwhile', async () => {
    // Calibrated for 1,000 operations; each now takes 5 ms, so 1,000 would take 5 s: the cap ends it at ~60 ms.
    const bounds = segmentBounds({ ...micro, segmentMs: 20 }, false, 1_000);
    const s = await closedLoop(() => new Promise((resolve) => setTimeout(resolve, 5)), {
      callers: 1,
      ...bounds,
    });
    expect(s.ops).toBeGreaterThan(0);
    expect(s.ops).toBeLessThan(1_000);
  });
});
