import { BerthError } from './berth-error.js';

/** The row addressed by id does not exist (or no longer exists). */
export class NotFoundError extends BerthError {
  readonly code = 'NOT_FOUND';
  readonly retryable = false;

  constructor(
    readonly entity: string,
    readonly id: string | number,
  ) {
    super(`${entity} ${JSON.stringify(id)} not found`);
  }
}
