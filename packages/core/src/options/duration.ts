import { ValidationError } from '../errors/validation-error.js';

/**
 * The longest duration berth accepts, in milliseconds: 2^31 − 1, about 24.8 days. Node's timers hold a
 * signed 32-bit delay and turn anything longer into 1 ms (with a warning), so a larger timeout would not
 * wait longer: it would fire at once, over and over.
 */
export const MAX_DURATION_MS = 2_147_483_647;

/** What a duration option may be, besides finite and at most `MAX_DURATION_MS`. */
export interface DurationRule {
  /** The smallest value accepted (default 0). A rule whose 0 means "off" says so in the option's docs. */
  readonly min?: number;
  /** Whole milliseconds only, where the driver takes no fraction (default false). */
  readonly integer?: boolean;
}

/**
 * Checks one duration option and returns it: `undefined` passes (the default applies), anything else must
 * be a finite number from `rule.min` (default 0) to `MAX_DURATION_MS`, whole where `rule.integer`. Throws
 * `ValidationError` naming the option, with one issue whose `field` is the option's name.
 */
export function checkDuration(name: string, value: unknown, rule: DurationRule = {}): number | undefined {
  if (value === undefined) return undefined;
  const min = rule.min ?? 0;
  let problem: string | undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    problem = 'must be a finite number of milliseconds';
  else if (rule.integer && !Number.isInteger(value)) problem = 'must be a whole number of milliseconds';
  else if (value < min) problem = `must be at least ${min} ms`;
  else if (value > MAX_DURATION_MS)
    problem = `must be at most ${MAX_DURATION_MS} ms (2^31 - 1, Node's timer limit)`;
  if (problem === undefined) return value as number;
  throw new ValidationError(`${name} ${problem} (got ${String(value)})`, [{ field: name, message: problem }]);
}
