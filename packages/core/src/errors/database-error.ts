import { BerthError } from './berth-error.js';

/** Any other failure reported by the database, with the driver's error as `cause` and its code where known. */
export class DatabaseError extends BerthError {
  readonly code = 'DATABASE_ERROR';
  readonly retryable = false;

  constructor(
    message: string,
    /**
     * The driver's own error code (a PostgreSQL SQLSTATE such as `'40P01'`, a MySQL errno such as `1213`, a MongoDB
     * code), when the driver gave one: match on it for failures berth does not type.
     */
    readonly driverCode?: string | number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
