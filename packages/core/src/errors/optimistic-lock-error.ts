import { BerthError } from './berth-error.js';

/**
 * The row's stored version is not the one the write was based on: somebody else changed it first.
 * Retrying blindly would overwrite their change, so it is not marked retryable: reload, then decide.
 */
export class OptimisticLockError extends BerthError {
  readonly code = 'OPTIMISTIC_LOCK';
  readonly retryable = false;

  constructor(
    readonly entity: string,
    readonly id: string | number,
    readonly expectedVersion: number | undefined,
    readonly actualVersion?: number,
  ) {
    super(
      `${entity} ${JSON.stringify(id)} was changed concurrently` +
        (expectedVersion !== undefined ? ` (expected version ${expectedVersion}` : '') +
        (expectedVersion !== undefined && actualVersion !== undefined ? `, found ${actualVersion})` : '') +
        (expectedVersion !== undefined && actualVersion === undefined ? ')' : ''),
    );
  }
}
