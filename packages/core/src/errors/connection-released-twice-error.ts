import { BerthError } from './berth-error.js';

/**
 * `Pool.release` was called a second time for the same lease: a bug in the caller, which must release each
 * lease exactly once. The second call changes nothing (the connection is not handed out twice).
 */
export class ConnectionReleasedTwiceError extends BerthError {
  readonly code = 'CONNECTION_RELEASED_TWICE' as const;
  readonly retryable = false;

  constructor() {
    super('connection released twice');
  }
}
