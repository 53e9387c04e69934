import type { DriverConnection } from '../driver/driver-connection.js';
import { BerthError } from './berth-error.js';

/**
 * What a backend can tell about a commit whose reply was lost, asked on a fresh connection:
 * `committed` (it took effect), `not-committed` (it never will: the old session is gone and the work with
 * it) or `unknown`.
 */
export type CommitOutcome = 'committed' | 'not-committed' | 'unknown';

/**
 * Asks the database, on `connection` (a fresh, healthy connection from the same pool), what became of a
 * commit whose reply was lost. Implementations first make sure the old session can no longer commit
 * (terminate it and wait until it is gone), then look. They may throw; the core reads that as `unknown`.
 */
export type CommitOutcomeResolver = (connection: DriverConnection) => Promise<CommitOutcome>;

/**
 * The connection was lost while a commit was in flight (a `COMMIT`, or a lone write outside a transaction,
 * whose reply never arrived), and berth could not learn from the database whether it took effect. Also, on a
 * backend without transactions (a standalone MongoDB server), a write to many rows that stopped part way: its
 * time limit passed, or the server refused one row (that error is the `cause`) after earlier rows changed.
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
  /**
   * Set by an adapter that can still find the outcome out: the core then destroys the broken connection,
   * runs the resolver on a fresh lease from the same pool (within the acquire deadline, never beyond the
   * pool's `max`) and answers with success, `ConnectionLostError` or this error without a resolver. An
   * error carrying a resolver never reaches the caller. Adapters attach one only to operations whose
   * result is `void` (a commit, an insert), since a resolved success has no other result to give.
   */
  readonly resolve: CommitOutcomeResolver | undefined;
  /**
   * What the operation returns when the resolver finds the commit took effect: set by an operation that
   * ran its own transaction and had its result before sending COMMIT (a set-based update's count, say).
   * Absent: the operation's result is `undefined`.
   */
  readonly committed:
    | {
        /** The operation's result; wrapped so that a result of `undefined` can be told from none given. */
        readonly value: unknown;
      }
    | undefined;

  constructor(
    message = 'the connection was lost while the commit was in flight; whether it took effect is unknown',
    options?: { cause?: unknown; resolve?: CommitOutcomeResolver; committed?: { value: unknown } },
  ) {
    super(message, options);
    this.resolve = options?.resolve;
    this.committed = options?.committed;
  }

  /** The same error, carrying what the operation returns if the commit is found to have taken effect. */
  withCommittedValue(value: unknown): CommitOutcomeUnknownError {
    return new CommitOutcomeUnknownError(this.message, {
      cause: this.cause,
      ...(this.resolve ? { resolve: this.resolve } : {}),
      committed: { value },
    });
  }
}
