import { BerthError } from './berth-error.js';

/**
 * The backend has no way to do what was asked (for example locking reads on MongoDB). Nothing was sent
 * to the database. `feature` names what was refused, for logs and for callers that fall back.
 */
export class UnsupportedError extends BerthError {
  readonly code = 'UNSUPPORTED';
  readonly retryable = false;

  constructor(
    /** What was refused (e.g. `'row locks'`), stable enough to test for before falling back. */
    readonly feature: string,
    message = `${feature} is not supported by this backend`,
  ) {
    super(message);
  }
}
