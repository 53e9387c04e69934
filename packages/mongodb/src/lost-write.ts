import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  PoolTimeoutError,
  StatementTimeoutError,
  UniqueViolationError,
  ValidationError,
} from '@berth/core';
import { MongoError } from 'mongodb';

/**
 * The server's word that no attempt wrote anything: the driver keeps an earlier attempt's error when a
 * retry fails with `NoWritesPerformed`, so the label on the error it throws speaks for every attempt made.
 */
export function noWritesPerformed(cause: unknown): boolean {
  return cause instanceof MongoError && cause.hasErrorLabel('NoWritesPerformed');
}

/**
 * What a failed commit-like operation (`commitTransaction`, a write outside a transaction) becomes once
 * the driver has done what it can: it retries a commit whose outcome is unknown
 * (`UnknownTransactionCommitResult`, which berth retries twice more) and a retryable write once, on a new
 * socket, and the server answers such a retry from its record instead of applying it twice.
 *
 * `sent`: a command of the operation reached the wire, on any attempt, or the operation was given up on
 * while the driver could still send it (see `wire-mark.ts`). Nothing sent: the error stands, whatever it
 * is (`ConnectionLostError`, `PoolTimeoutError`: retrying is safe). Sent, the errors that say "nothing
 * reached a server" can only be a retry's, whose failure hides what the first attempt did: a
 * `ConnectionLostError` (a lost reply, a failed server selection for the retry, a cleared pool), unless the
 * server labelled it `NoWritesPerformed`, and a `PoolTimeoutError` (the retry found no free socket) become
 * `CommitOutcomeUnknownError`. Every other error is the server's definite answer and stands.
 */
export function lostMongoWriteError(error: unknown, what: string, sent: boolean): unknown {
  if (!sent) return error;
  const lost =
    (error instanceof ConnectionLostError && !noWritesPerformed(error.cause)) ||
    error instanceof PoolTimeoutError;
  if (!lost) return error;
  return new CommitOutcomeUnknownError(
    `the connection was lost while ${what} was in flight, and the driver's retry did not settle it; whether it took effect is unknown (${error.message})`,
    { cause: error },
  );
}

/**
 * What a failed `commitTransaction` that reached the server becomes when the driver labelled its error
 * `UnknownTransactionCommitResult` (the transactions specification: a MaxTimeMSExpired, a write-concern
 * error, a retryable error): the commit may have been applied, e.g. on the primary while it waited for its
 * write concern, so the mapped error (a retryable `StatementTimeoutError` for MaxTimeMSExpired) would call
 * retrying safe when it is not. It becomes `CommitOutcomeUnknownError`. An error already saying the outcome
 * is unknown, one without the label (the server's definite answer), and one of a commit that never reached
 * the wire (`sent` false: `lostMongoWriteError` has kept it) stand.
 */
export function unknownCommitResultError(error: unknown, sent: boolean): unknown {
  if (!sent || error instanceof CommitOutcomeUnknownError) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  const labelled = (driverError: unknown) =>
    driverError instanceof MongoError && driverError.hasErrorLabel('UnknownTransactionCommitResult');
  if (!labelled(error) && !labelled(cause)) return error;
  return new CommitOutcomeUnknownError(
    `the commitTransaction reached the server and failed without a definite answer; it may have been applied, e.g. while it waited for its write concern when its time limit passed (${(error as Error).message})`,
    { cause: error },
  );
}

/**
 * Whether `error` is the server refusing one document of a write (its JSON-schema validator, a unique
 * index), as `mapMongoError` reports it: berth's own input checks raise `ValidationError` before anything
 * is sent and carry no driver error as their cause, so they are told apart by it.
 */
function refusedDocument(error: unknown): error is ValidationError | UniqueViolationError {
  return (
    (error instanceof ValidationError || error instanceof UniqueViolationError) &&
    error.cause instanceof MongoError
  );
}

/**
 * What a failed write that may change several documents, run outside a transaction (a standalone server
 * has none), becomes: MongoDB applies such a write document by document and stops where it fails, so the
 * documents before that point stay changed. Two failures happen part way:
 * - its time limit passed: a retryable `StatementTimeoutError` would call retrying safe;
 * - the server refused one document (the collection's validator, a unique index): a `ValidationError` or
 *   `UniqueViolationError` would say the write was refused as a whole, when documents matched before the
 *   refused one may have been changed (a retry after fixing the data would apply an `increment` twice).
 * Both become `CommitOutcomeUnknownError` (never retryable: read the data back to decide), with the mapped
 * error as its cause. Other errors stand (they are raised before the write reaches the server, or say
 * nothing of what was written).
 */
export function partlyAppliedError(error: unknown, what: string): unknown {
  if (error instanceof StatementTimeoutError) {
    return new CommitOutcomeUnknownError(
      `${what} outside a transaction passed its time limit; MongoDB applies it document by document, so it may be partly applied (some matching documents changed, others not) (${error.message})`,
      { cause: error },
    );
  }
  if (refusedDocument(error)) {
    return new CommitOutcomeUnknownError(
      `${what} outside a transaction was refused at one document (${error.message}); MongoDB applies it document by document and the server has no transactions, so documents matched before the refused one may have been changed: it may be partly applied`,
      { cause: error },
    );
  }
  return error;
}
