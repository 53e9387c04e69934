import type { DriverOptions } from '../driver/driver.js';
import { ValidationError } from '../errors/validation-error.js';

/** One size option's problem, or undefined when it is absent or fine. */
function problem(value: unknown, least: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least)
    return `must be a whole number of at least ${least} (got ${String(value)})`;
  return undefined;
}

/**
 * Checks the pool sizes every adapter takes, so each backend refuses the same values with the same
 * `ValidationError` (one issue whose `field` is the option): `max` a whole number of at least 1 (a pool of
 * none could never serve a query: every caller would wait out its acquire deadline), `min` a whole number
 * of at least 0 and, when both are given, not above `max`. Absent options pass: the adapter's default applies.
 */
export function checkPoolSize(options: Pick<DriverOptions, 'max' | 'min'>): void {
  for (const [field, least] of [
    ['max', 1],
    ['min', 0],
  ] as const) {
    const message = problem(options[field], least);
    if (message) throw new ValidationError(`${field} ${message}`, [{ field, message }]);
  }
  if (options.max !== undefined && options.min !== undefined && options.min > options.max) {
    const message = `must not exceed max (got min ${options.min}, max ${options.max})`;
    throw new ValidationError(`min ${message}`, [{ field: 'min', message }]);
  }
}
