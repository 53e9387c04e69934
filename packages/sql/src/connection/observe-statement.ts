import { type QueryObserver, observeQuery, sqlOperation } from '@berth/core';
import type { SqlArrayResult, SqlResult } from './sql-result.js';

/**
 * Runs one statement through `run`, reported to `queries` as a query event (rows returned or affected).
 * `operation` defaults to the statement's first keyword; a COMMIT sent behind a commit marker names itself.
 * `rowsOf` counts the rows of the result, by default those returned, else those affected; a packet of
 * several statements, whose result is one per statement, counts its own.
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
  rowsOf: (result: R) => number = rowsReturnedOrAffected,
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
    rowsOf,
  );
}

function rowsReturnedOrAffected(result: SqlResult | SqlArrayResult): number {
  return result.rows.length > 0 ? result.rows.length : result.affectedRows;
}
