import { BerthError } from './berth-error.js';

/**
 * A `find` without `limit` matched more rows than the unbounded-read guard allows. Nothing is returned:
 * page with `limit` and `cursor`, iterate with `stream()`, or pass `limit: 'all'` to read every row.
 */
export class TooManyRowsError extends BerthError {
  readonly code = 'TOO_MANY_ROWS';
  readonly retryable = false;

  constructor(
    readonly entity: string,
    readonly maxRows: number,
  ) {
    super(
      `a find on ${entity} without a limit matched more than ${maxRows} rows: page with limit and cursor, use stream(), or pass limit: 'all'`,
    );
  }
}
