import { BerthError } from './berth-error.js';

/**
 * A write was attempted in a transaction opened with `readOnly: true` (PostgreSQL SQLSTATE 25006, MySQL
 * error 1792, or berth's own check on MongoDB, which has no read-only transactions).
 */
export class ReadOnlyTransactionError extends BerthError {
  readonly code = 'READ_ONLY_TRANSACTION';
  readonly retryable = false;

  constructor(message = 'cannot write in a read-only transaction', options?: { cause?: unknown }) {
    super(message, options);
  }
}
