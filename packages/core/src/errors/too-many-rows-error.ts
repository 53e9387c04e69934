import { BerthError } from './berth-error.js';

/**
 * A `find` without `limit` matched more rows than the unbounded-read guard allows. Nothing is returned:
 * page with `limit` and `cursor`, iterate with `stream()`, or pass `limit: 'all'` to read every row.
 */
export class TooManyRowsError extends BerthError {
  readonly code = 'TOO_MANY_ROWS';
  readonly retryable = false;

  constructor(
    /** The entity's name, as given to `defineEntity`. */
    readonly entity: string,
    /**
     * The guard's limit in rows (the database's `maxRows` option): a `find` without `limit` may return at most this
     * many.
     */
    readonly maxRows: number,
  ) {
    super(
      `a find on ${entity} without a limit matched more than ${maxRows} rows: page with limit and cursor, use stream(), or pass limit: 'all'`,
    );
  }
}
