import { describe, expect, it } from 'vitest';
import type { Outcome } from '../src/load/generator.js';
import { unexpectedOutcomes } from '../src/load/outcome-breakdown.js';

function outcome(
  op: Outcome['op'],
  status: number,
  code: string | undefined,
  at: number,
  took: number,
): Outcome {
  return { op, startedAt: at, endedAt: at + took, status, code, retryAfter: undefined };
}

describe('unexpectedOutcomes', () => {
  it('is empty when every outcome is the expected status', () => {
    expect(unexpectedOutcomes([outcome('list', 503, 'UNAVAILABLE', 100, 300)], 503, 0)).toBe('');
  });

  it('groups the others by answer, largest first, with their operations, start times and durations', () => {
    const text = unexpectedOutcomes(
      [
        outcome('list', 503, 'UNAVAILABLE', 1_000, 300),
        outcome('create', 500, 'OUTCOME_UNKNOWN', 1_200, 1_051),
        outcome('create', 500, 'OUTCOME_UNKNOWN', 5_300, 1_062),
        outcome('list', 200, undefined, 7_000, 12),
        outcome('create', 201, undefined, 7_100, 20),
        outcome('list', 0, undefined, 8_000, 30_000),
        outcome('create', 500, 'OUTCOME_UNKNOWN', 3_000, 1_055),
      ],
      503,
      0,
    );
    expect(text).toBe(
      '3 × 500 OUTCOME_UNKNOWN (create; started +1.2–5.3 s; took 1051–1062 ms), ' +
        '1 × 200 (list; started +7.0 s; took 12 ms), ' +
        '1 × 201 (create; started +7.1 s; took 20 ms), ' +
        '1 × no answer (list; started +8.0 s; took 30000 ms)',
    );
  });

  it('counts each operation of a mixed group', () => {
    const text = unexpectedOutcomes(
      [outcome('list', 500, 'INTERNAL', 2_000, 5), outcome('create', 500, 'INTERNAL', 2_000, 5)],
      503,
      1_000,
    );
    expect(text).toBe('2 × 500 INTERNAL (1 list, 1 create; started +1.0 s; took 5 ms)');
  });
});
