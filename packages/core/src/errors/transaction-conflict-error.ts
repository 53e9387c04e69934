import { BerthError } from './berth-error.js';

/** The database aborted the transaction to resolve a conflict (serialization failure, deadlock, lock wait). */
export class TransactionConflictError extends BerthError {
  readonly code = 'TRANSACTION_CONFLICT';
  readonly retryable = true;

  constructor(
    message = 'the transaction was aborted by a concurrent conflict',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
