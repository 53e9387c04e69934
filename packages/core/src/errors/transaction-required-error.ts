import { BerthError } from './berth-error.js';

/**
 * The operation only means something inside a transaction (a locking read holds its locks until the
 * transaction ends; outside one they would be released at once). Nothing was sent to the database.
 */
export class TransactionRequiredError extends BerthError {
  readonly code = 'TRANSACTION_REQUIRED';
  readonly retryable = false;

  constructor(
    /** The operation refused, as the caller wrote it (e.g. `find({ lock })`). */
    readonly operation: string,
    message = `${operation} needs a transaction: run it inside db.transaction()`,
  ) {
    super(message);
  }
}
