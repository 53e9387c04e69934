import type { FindCommand } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';

/**
 * The row-locking clause of a SELECT, with a leading space, or ''. `lock` wins over the older `forUpdate`
 * flag. `NOWAIT` and `SKIP LOCKED` are spelled the same by PostgreSQL, MySQL 8 and MariaDB 10.6+.
 */
export function lockClause(dialect: SqlDialect, command: FindCommand): string {
  const lock = command.lock ?? (command.forUpdate ? { mode: 'forUpdate', onLocked: 'wait' } : undefined);
  if (!lock) return '';
  let clause = ` ${lock.mode === 'forShare' ? dialect.forShare : dialect.forUpdate}`;
  if (lock.onLocked === 'noWait') clause += ' NOWAIT';
  else if (lock.onLocked === 'skipLocked') clause += ' SKIP LOCKED';
  return clause;
}
