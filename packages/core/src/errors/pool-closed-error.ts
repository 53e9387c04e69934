import { BerthError } from './berth-error.js';

/** The pool is closing or closed and admits no more work. */
export class PoolClosedError extends BerthError {
  readonly code = 'POOL_CLOSED';
  readonly retryable = false;

  constructor() {
    super('the pool is closed');
  }
}
