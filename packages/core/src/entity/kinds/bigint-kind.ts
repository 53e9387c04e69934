/** The range of a signed 64-bit integer, what every backend stores in a `bigint` field. */
export const MIN_INT64 = -(2n ** 63n);
/** The largest signed 64-bit integer (see `MIN_INT64`). */
export const MAX_INT64 = 2n ** 63n - 1n;

/** The problem with a bigint value, or undefined: a JavaScript `bigint` within the signed 64-bit range. */
export function bigintProblem(value: unknown): string | undefined {
  if (typeof value !== 'bigint') return 'must be a bigint';
  if (value < MIN_INT64 || value > MAX_INT64) return 'must fit a signed 64-bit integer';
  return undefined;
}
