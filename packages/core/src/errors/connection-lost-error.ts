import { BerthError } from './berth-error.js';

/**
 * The connection broke (reset, terminated by the server, network failure) or the database could not be reached.
 * The connection it happened on is destroyed, never reused. Nothing of the work was committed: a read, a
 * statement inside a transaction before its `COMMIT`, or a commit that berth resolved as not applied.
 * Retrying is therefore safe. A connection lost while a `COMMIT` or a lone write outside a transaction was
 * in flight, whose outcome berth could not resolve, is a `CommitOutcomeUnknownError` instead.
 */
export class ConnectionLostError extends BerthError {
  readonly code = 'CONNECTION_LOST';
  readonly retryable = true;

  constructor(message = 'the database connection was lost', options?: { cause?: unknown }) {
    super(message, options);
  }
}
