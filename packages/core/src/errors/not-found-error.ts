import { BerthError } from './berth-error.js';

/** The row addressed by id does not exist (or no longer exists). */
export class NotFoundError extends BerthError {
  readonly code = 'NOT_FOUND';
  readonly retryable = false;

  constructor(
    /** The entity's name, as given to `defineEntity` (its table or collection). */
    readonly entity: string,
    /** The id that was looked up, as the caller gave it. */
    readonly id: string | number,
  ) {
    super(`${entity} ${JSON.stringify(id)} not found`);
  }
}
