import { BerthError } from './berth-error.js';

/**
 * The connection broke (reset, terminated by the server, network failure) or the database could not be reached.
 * The connection it happened on is destroyed, never reused. Whether the statement took effect is unknown
 * for a write outside a transaction; inside a transaction nothing of it was committed.
 */
export class ConnectionLostError extends BerthError {
  readonly code = 'CONNECTION_LOST';
  readonly retryable = true;

  constructor(message = 'the database connection was lost', options?: { cause?: unknown }) {
    super(message, options);
  }
}
