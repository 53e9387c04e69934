import { type QueryObserver, observeQuery, sqlOperation } from '@berth/core';
import type { SqlArrayResult, SqlResult } from './sql-result.js';

/**
 * Runs one statement through `run`, reported to `queries` as a query event (rows returned or affected).
 * `operation` defaults to the statement's first keyword; a COMMIT sent behind a commit marker names itself.
 */
export function observeStatement<R extends SqlResult | SqlArrayResult = SqlResult>(
  queries: QueryObserver,
  connectionId: string,
  sql: string,
  params: readonly unknown[],
  inTransaction: boolean,
  collection: string | undefined,
  run: () => Promise<R>,
  operation = sqlOperation(sql),
): Promise<R> {
  return observeQuery(
    queries,
    {
      statement: sql,
      operation,
      collection,
      values: params,
      inTransaction,
      connectionId,
    },
    run,
    (result) => (result.rows.length > 0 ? result.rows.length : result.affectedRows),
  );
}
