import {
  type CommitOutcome,
  type CommitOutcomeResolver,
  CommitOutcomeUnknownError,
  ConnectionLostError,
  type DriverConnection,
  type InsertCommand,
  type Scalar,
} from '@berth/core';

/**
 * What a failure of a commit-like statement (a `COMMIT`, or a lone write outside a transaction) becomes.
 * Only a `ConnectionLostError` on a statement that was really sent changes: the server may have applied it
 * and its reply is what was lost, so it becomes a `CommitOutcomeUnknownError`, carrying `resolve` when the
 * adapter can still find the outcome out. A connection already known broken sent nothing, so it stays a
 * `ConnectionLostError`; every other error (a constraint, a conflict) is a definite answer and is kept.
 */
export function lostWriteError(
  error: unknown,
  sent: boolean,
  what: string,
  resolve?: CommitOutcomeResolver,
): unknown {
  if (!sent || !(error instanceof ConnectionLostError)) return error;
  return new CommitOutcomeUnknownError(
    `the connection was lost while ${what} was in flight; whether it took effect is unknown (${error.message})`,
    { cause: error, ...(resolve ? { resolve } : {}) },
  );
}

/**
 * The outcome of a lone INSERT whose reply was lost, once `fence` has made sure the old session can no
 * longer write: the rows carry client-generated ids, so all of them stored means it committed, none means
 * it did not (a lone INSERT is one statement, all or nothing). Anything in between is `unknown`. A row
 * that already existed under the same id would read as committed; berth's ids are UUIDv7s made for the
 * insert, so that needs a caller that reused an id, whose insert would have failed anyway.
 */
export function loneInsertResolver(
  command: InsertCommand,
  fence: (fresh: DriverConnection) => Promise<void>,
): CommitOutcomeResolver {
  const ids = command.rows.map((row) => row.id as Scalar);
  return async (fresh): Promise<CommitOutcome> => {
    await fence(fresh);
    const stored = await fresh.count({
      entity: command.entity,
      where: { type: 'in', field: 'id', values: ids, negated: false },
    });
    if (stored === ids.length) return 'committed';
    return stored === 0 ? 'not-committed' : 'unknown';
  };
}
