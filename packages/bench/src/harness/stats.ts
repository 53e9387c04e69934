/** Pure statistics used by the harness. Kept free of I/O so they can be unit-tested. */

/** The median of `values` (mean of the two middle values for an even count). NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The `p`-th percentile (0..100) by linear interpolation between closest ranks. Sorts a copy unless
 * `sorted` says the values already are.
 */
export function percentile(values: ArrayLike<number>, p: number, sorted = false): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const data = sorted ? values : Float64Array.from(values).sort();
  if (n === 1) return data[0]!;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return data[lo]! + (data[hi]! - data[lo]!) * (rank - lo);
}

/** How far the per-round ratios scatter around their median: half their range (max − min) / 2. */
export function spread(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return (Math.max(...values) - Math.min(...values)) / 2;
}

/** The arithmetic mean. NaN for none. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The order of one round over `names`: a palindrome, first to last and back (A-B-B-A for two). Each name
 * appears twice, at positions symmetric around the round's middle, so any drift linear in time (a machine
 * warming up, a neighbour starting work) weighs the same on every name and cancels out of their ratios.
 */
export function palindrome<T>(names: readonly T[]): T[] {
  return [...names, ...[...names].reverse()];
}

/**
 * Per-round ratios of a candidate to a baseline from one round's segment results: the mean of the
 * candidate's two segments over the mean of the baseline's two.
 */
export function roundRatio(candidate: readonly number[], baseline: readonly number[]): number {
  return mean(candidate) / mean(baseline);
}

/**
 * Little's law for a closed loop: with `callers` always in the system, the mean time one spends per
 * operation is callers / throughput. Returns it in milliseconds for a throughput in operations per second.
 */
export function littlesLawLatencyMs(callers: number, opsPerSecond: number): number {
  return (callers / opsPerSecond) * 1000;
}

/** How far `measured` is from `expected`, relative to `expected` (0.1 = 10 %). */
export function relativeError(measured: number, expected: number): number {
  return Math.abs(measured - expected) / expected;
}

/** Rounds to `digits` decimals, for reports. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
