import { BerthError } from './berth-error.js';

/**
 * Work was addressed to a transaction (or a nested transaction) that has ended or is ending: its `COMMIT`,
 * `ROLLBACK`, `RELEASE SAVEPOINT` or `ROLLBACK TO SAVEPOINT` has already been sent. Nothing of that work
 * was sent to the database.
 *
 * Raised for an explicit handle (`tx.repository(...)`, `tx.transaction(...)`) used after its transaction
 * ended, and for ambient work that arrives while the end is in flight. Ambient work that arrives after the
 * end is not refused: it runs outside that transaction (see `Session.transaction`).
 */
export class TransactionEndedError extends BerthError {
  readonly code = 'TRANSACTION_ENDED' as const;
  readonly retryable = false;

  constructor(message = 'the transaction has already ended (or is ending); nothing was sent') {
    super(message);
  }
}
