import type { PoolStats } from '../pool/pool-stats.js';
import { BerthError } from './berth-error.js';

/**
 * No connection could be had within the acquire deadline. Carries the pool's state at the moment of the
 * timeout and the last error met while opening a connection, so an operator can tell "pool too small or
 * work too slow" from "database unreachable".
 */
export class PoolTimeoutError extends BerthError {
  readonly code = 'POOL_TIMEOUT';
  readonly retryable = true;

  constructor(
    /**
     * How long the caller waited for a connection, in milliseconds (the acquire deadline, or less when the caller's
     * own signal ended it first).
     */
    readonly waitedMs: number,
    /**
     * The pool's counters at the moment of the timeout: `waiting` high with `inUse` at `max` means too small a pool
     * or too slow work; `total` below `max` with a `lastConnectionError` means the database is not reachable.
     */
    readonly stats: PoolStats,
    /**
     * The last error met while opening a new connection during the wait, if any: the sign of an unreachable database
     * rather than a busy pool.
     */
    readonly lastConnectionError?: Error,
    reason = 'no connection available',
  ) {
    super(
      `${reason} within ${waitedMs} ms (pool: max ${stats.max}, total ${stats.total}, idle ${stats.idle}, ` +
        `in use ${stats.inUse}, waiting ${stats.waiting})` +
        (lastConnectionError ? `; last connection error: ${lastConnectionError.message}` : ''),
      { cause: lastConnectionError },
    );
  }
}
