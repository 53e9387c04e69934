import { BerthError } from './berth-error.js';

/**
 * The transaction can no longer commit: a nested transaction failed on a backend without savepoints
 * (`capabilities.savepoints` false, as on MongoDB), where its work cannot be undone alone, or undoing a
 * failed savepoint failed. From then on every operation on the transaction and its commit are refused
 * with this error, even when the caller caught the nested failure; the transaction is rolled back, so
 * nothing of it is written. `cause` is the nested failure. `retryable` follows that failure's own flag
 * (a retry of the whole transaction may succeed after a `TransactionConflictError`).
 */
export class TransactionRollbackOnlyError extends BerthError {
  readonly code = 'TRANSACTION_ROLLBACK_ONLY' as const;
  readonly retryable: boolean;

  constructor(cause?: unknown) {
    super(
      'a nested transaction failed and could not be undone alone, so the transaction was rolled back; nothing of it was written',
      { cause },
    );
    this.retryable = cause instanceof BerthError && cause.retryable;
  }
}
