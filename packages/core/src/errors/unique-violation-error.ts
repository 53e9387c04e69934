import { BerthError } from './berth-error.js';

/** A write would duplicate a value of a unique field or unique index. */
export class UniqueViolationError extends BerthError {
  readonly code = 'UNIQUE_VIOLATION';
  readonly retryable = false;

  constructor(
    /** The table or collection, where the backend says. */
    readonly entity: string | undefined,
    /** The fields of the violated unique index, from the entity definition; empty when the backend did not say. */
    readonly fields: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      fields.length > 0
        ? `duplicate value for unique ${fields.length > 1 ? 'fields' : 'field'} ${fields.join(', ')}${entity ? ` of ${entity}` : ''}`
        : `duplicate value for a unique field${entity ? ` of ${entity}` : ''}`,
      options,
    );
  }
}
