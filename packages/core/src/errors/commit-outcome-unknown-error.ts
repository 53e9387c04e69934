import { BerthError } from './berth-error.js';

/**
 * The connection was lost while a commit was in flight (a `COMMIT`, or a lone write outside a transaction,
 * whose reply never arrived), and berth could not learn from the database whether it took effect.
 *
 * The work may have been applied. It is **never** safe to retry blindly (`retryable` is false): a retry
 * may apply it twice. Retry only what is idempotent by construction (an idempotency key stored with the
 * write, an upsert of the same values), or read the data back to decide. Adapters resolve the outcome
 * where the backend lets them (PostgreSQL's `txid_status`, a commit marker on MySQL/MariaDB, MongoDB's
 * commit retry) and raise this error only when that, too, failed; a commit that resolves as not applied is
 * a `ConnectionLostError`, which does mean nothing was written.
 */
export class CommitOutcomeUnknownError extends BerthError {
  readonly code = 'COMMIT_OUTCOME_UNKNOWN';
  readonly retryable = false;

  constructor(
    message = 'the connection was lost while the commit was in flight; whether it took effect is unknown',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
