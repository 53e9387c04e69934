import { BerthError } from './berth-error.js';

/**
 * `flush()` was called on a unit of work while an earlier flush of it was still running. Nothing was
 * written by this call and no change was lost: what is pending stays pending, and a flush made after the
 * running one settles writes it. Two flushes of one unit of work at once are a bug in the caller (two code
 * paths sharing a unit of work without coordinating): await the running flush, or give each path its own
 * unit of work.
 */
export class ConcurrentFlushError extends BerthError {
  readonly code = 'CONCURRENT_FLUSH' as const;
  readonly retryable = false;

  constructor(
    message = 'flush() was called while an earlier flush of this unit of work is still running: await that ' +
      'flush first; nothing was written by this call and the pending changes are kept',
  ) {
    super(message);
  }
}
