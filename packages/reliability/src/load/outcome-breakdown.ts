import type { Outcome } from './generator.js';

/** How one group of outcomes is summarised: its count, answer, operations and timing. */
interface Group {
  readonly status: number;
  readonly code: string | undefined;
  readonly ops: Map<string, number>;
  /** Seconds after the reference time each request of the group started. */
  readonly startedAfter: number[];
  /** How long each took, in milliseconds. */
  readonly took: number[];
}

function range(values: readonly number[], format: (v: number) => string): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return format(low) === format(high) ? format(low) : `${format(low)}–${format(high)}`;
}

/**
 * The outcomes that were not answered `expected`, grouped by answer, for a figure's text: each group's
 * count, status and error code, the operations it came from, when its requests started after `since`
 * (`performance.now()` time) and how long they took, e.g.
 * `12 × 500 OUTCOME_UNKNOWN (create; started +1.2–5.3 s; took 1051–1062 ms)`. Largest group first; an
 * outcome with no HTTP answer is status 0 (`no answer`). Empty when every outcome was `expected`.
 */
export function unexpectedOutcomes(outcomes: readonly Outcome[], expected: number, since: number): string {
  const groups = new Map<string, Group>();
  for (const o of outcomes) {
    if (o.status === expected) continue;
    const key = `${o.status} ${o.code ?? ''}`;
    let group = groups.get(key);
    if (!group) {
      group = { status: o.status, code: o.code, ops: new Map(), startedAfter: [], took: [] };
      groups.set(key, group);
    }
    group.ops.set(o.op, (group.ops.get(o.op) ?? 0) + 1);
    group.startedAfter.push((o.startedAt - since) / 1000);
    group.took.push(o.endedAt - o.startedAt);
  }
  return [...groups.values()]
    .sort((a, b) => b.took.length - a.took.length)
    .map((g) => {
      const answer = g.status === 0 ? 'no answer' : `${g.status}${g.code ? ` ${g.code}` : ''}`;
      const ops = [...g.ops].map(([op, n]) => (g.ops.size > 1 ? `${n} ${op}` : op)).join(', ');
      const started = range(g.startedAfter, (v) => v.toFixed(1));
      const took = range(g.took, (v) => `${Math.round(v)}`);
      return `${g.took.length} × ${answer} (${ops}; started +${started} s; took ${took} ms)`;
    })
    .join(', ');
}
