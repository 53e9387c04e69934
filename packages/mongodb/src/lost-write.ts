import { CommitOutcomeUnknownError, ConnectionLostError } from '@berth/core';
import { MongoError, MongoServerSelectionError } from 'mongodb';

/** The driver's word that a command never reached a server, or reached none that wrote. */
function neverSent(cause: unknown): boolean {
  return (
    cause instanceof MongoServerSelectionError ||
    (cause instanceof MongoError && cause.hasErrorLabel('NoWritesPerformed'))
  );
}

/**
 * What a failed commit-like operation (`commitTransaction`, a write outside a transaction) becomes once
 * the driver has done what it can: it retries a commit whose outcome is unknown
 * (`UnknownTransactionCommitResult`, which berth retries twice more) and a retryable write once, on a new
 * socket, and the server answers such a retry from its record instead of applying it twice. If the
 * connection is still lost after that, the command may have been applied: `CommitOutcomeUnknownError`.
 * A connection lost before anything was sent (no server selected, `NoWritesPerformed`) stays a
 * `ConnectionLostError`, and every other error is the server's definite answer.
 */
export function lostMongoWriteError(error: unknown, what: string): unknown {
  if (!(error instanceof ConnectionLostError) || neverSent(error.cause)) return error;
  return new CommitOutcomeUnknownError(
    `the connection was lost while ${what} was in flight, and the driver's retry did not settle it; whether it took effect is unknown (${error.message})`,
    { cause: error },
  );
}
