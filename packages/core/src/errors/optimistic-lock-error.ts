import { BerthError } from './berth-error.js';

/**
 * The row's stored version is not the one the write was based on: somebody else changed it first.
 * Retrying blindly would overwrite their change, so it is not marked retryable: reload, then decide.
 */
export class OptimisticLockError extends BerthError {
  readonly code = 'OPTIMISTIC_LOCK';
  readonly retryable = false;

  constructor(
    /** The entity's name, as given to `defineEntity`. */
    readonly entity: string,
    /** The id of the row whose write was refused. */
    readonly id: string | number,
    /**
     * The version the write was based on (the one loaded, or `expectedVersion` passed by the caller); undefined when
     * the write carried none.
     */
    readonly expectedVersion: number | undefined,
    /**
     * The version stored when the write was refused, when the backend reported it; undefined when the row is gone or
     * the write could not read it.
     */
    readonly actualVersion?: number,
  ) {
    super(
      // Where both versions are known, the message gives them and nothing else: the caller may simply have
      // passed a stale `expectedVersion`, which "changed concurrently" would misdescribe.
      expectedVersion !== undefined && actualVersion !== undefined
        ? `${entity} ${JSON.stringify(id)}: expected version ${expectedVersion}, found ${actualVersion}`
        : `${entity} ${JSON.stringify(id)} was changed concurrently` +
            (expectedVersion !== undefined ? ` (expected version ${expectedVersion})` : ''),
    );
  }
}
