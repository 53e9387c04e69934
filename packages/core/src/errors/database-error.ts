import { BerthError } from './berth-error.js';

/** Any other failure reported by the database, with the driver's error as `cause` and its code where known. */
export class DatabaseError extends BerthError {
  readonly code = 'DATABASE_ERROR';
  readonly retryable = false;

  constructor(
    message: string,
    readonly driverCode?: string | number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
