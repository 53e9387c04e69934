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
    readonly waitedMs: number,
    readonly stats: PoolStats,
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
