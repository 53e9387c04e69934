import { BerthError } from './berth-error.js';

/** A statement ran past the statement timeout and was cancelled by the server. */
export class StatementTimeoutError extends BerthError {
  readonly code = 'STATEMENT_TIMEOUT';
  readonly retryable = true;

  constructor(
    message = 'the statement was cancelled at the statement timeout',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
