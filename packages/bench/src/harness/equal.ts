/**
 * Structural equality for results checked before timing: Dates by instant, numbers exactly, objects by
 * their own enumerable keys (in any order), arrays in order. Returns the path of the first difference, or
 * undefined when equal.
 */
export function firstDifference(actual: unknown, expected: unknown, path = '$'): string | undefined {
  if (actual instanceof Date || expected instanceof Date) {
    if (!(actual instanceof Date) || !(expected instanceof Date))
      return `${path}: ${show(actual)} ≠ ${show(expected)}`;
    return actual.getTime() === expected.getTime()
      ? undefined
      : `${path}: ${show(actual)} ≠ ${show(expected)}`;
  }
  if (Array.isArray(actual) || Array.isArray(expected)) {
    if (!Array.isArray(actual) || !Array.isArray(expected)) return `${path}: array vs non-array`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length} ≠ ${expected.length}`;
    for (let i = 0; i < actual.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isPlainObject(actual) && isPlainObject(expected)) {
    const a = Object.keys(actual).sort();
    const e = Object.keys(expected).sort();
    if (a.join(',') !== e.join(',')) return `${path}: keys [${a.join(',')}] ≠ [${e.join(',')}]`;
    for (const key of a) {
      const d = firstDifference(actual[key], expected[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: ${show(actual)} ≠ ${show(expected)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return `${typeof value} ${JSON.stringify(value)}`;
}
