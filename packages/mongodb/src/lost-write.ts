import { CommitOutcomeUnknownError, ConnectionLostError, PoolTimeoutError } from '@berth/core';
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
