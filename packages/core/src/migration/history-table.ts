import { ValidationError } from '../errors/validation-error.js';
import { DEFAULT_HISTORY_TABLE, type MigrationOptions } from './migration-driver.js';

const HISTORY_TABLE_PATTERN = /^berth_[a-z0-9_]{1,50}$/;

/** The history table of `options`, checked: `berth_` and lower-case letters, digits and underscores. */
export function historyTableOf(options: MigrationOptions = {}): string {
  const name = options.historyTable ?? DEFAULT_HISTORY_TABLE;
  if (!HISTORY_TABLE_PATTERN.test(name))
    throw new ValidationError(
      `invalid migration history table "${name}": it must match ${HISTORY_TABLE_PATTERN} (berth_ tables are never diffed)`,
    );
  return name;
}
