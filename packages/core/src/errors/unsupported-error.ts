import { BerthError } from './berth-error.js';

/**
 * The backend has no way to do what was asked (for example locking reads on MongoDB). Nothing was sent
 * to the database. `feature` names what was refused, for logs and for callers that fall back.
 */
export class UnsupportedError extends BerthError {
  readonly code = 'UNSUPPORTED';
  readonly retryable = false;

  constructor(
    readonly feature: string,
    message = `${feature} is not supported by this backend`,
  ) {
    super(message);
  }
}
