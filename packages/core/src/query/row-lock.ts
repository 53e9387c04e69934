import type { Capabilities } from '../driver/capabilities.js';
import { TransactionRequiredError } from '../errors/transaction-required-error.js';
import { UnsupportedError } from '../errors/unsupported-error.js';
import { ValidationError } from '../errors/validation-error.js';

/** Exclusive (`forUpdate`) or shared (`forShare`) row locks, held until the transaction ends. */
export type LockMode = 'forUpdate' | 'forShare';

/**
 * What a locking read does about rows another transaction has locked: wait for them (the default),
 * fail at once with `TransactionConflictError` (`noWait`), or leave them out of the result (`skipLocked`).
 */
export type LockWait = 'wait' | 'noWait' | 'skipLocked';

/** A locking read as callers write it: a mode, or a mode with what to do about rows locked elsewhere. */
export type LockOption =
  | LockMode
  | {
      /** Which lock each row read takes: exclusive (`'forUpdate'`) or shared (`'forShare'`). */
      readonly mode: LockMode;
      /** What to do about rows locked by another transaction (default `'wait'`). */
      readonly onLocked?: LockWait;
    };

/** The normalized lock adapters receive on `FindCommand.lock`. */
export interface RowLock {
  /** Which lock each row read takes: `'forUpdate'` (exclusive) or `'forShare'`. */
  readonly mode: LockMode;
  /** What the read does about rows locked by another transaction; `'wait'` when the caller gave none. */
  readonly onLocked: LockWait;
}

const MODES = new Set<unknown>(['forUpdate', 'forShare']);
const WAITS = new Set<unknown>(['wait', 'noWait', 'skipLocked']);

function invalid(): never {
  throw new ValidationError(
    `lock is 'forUpdate', 'forShare' or { mode, onLocked: 'wait' | 'noWait' | 'skipLocked' }`,
    [{ field: 'lock', message: 'invalid lock' }],
  );
}

/**
 * Validates a lock option and checks it can be honoured here: `UnsupportedError` where the backend has no
 * locking reads (MongoDB), `TransactionRequiredError` outside a transaction (the locks would be released
 * as soon as the statement ends). Returns undefined for no lock.
 */
export function parseLock(
  lock: unknown,
  capabilities: Capabilities,
  inTransaction: boolean,
): RowLock | undefined {
  if (lock === undefined) return undefined;
  let mode: unknown = lock;
  let onLocked: unknown = 'wait';
  if (typeof lock === 'object' && lock !== null && !Array.isArray(lock)) {
    const keys = Object.keys(lock);
    if (keys.some((k) => k !== 'mode' && k !== 'onLocked')) invalid();
    ({ mode, onLocked = 'wait' } = lock as { mode?: unknown; onLocked?: unknown });
  }
  if (!MODES.has(mode) || !WAITS.has(onLocked)) invalid();
  if (!capabilities.lockingReads) throw new UnsupportedError('locking reads');
  if (!inTransaction) throw new TransactionRequiredError('a locking read');
  return { mode: mode as LockMode, onLocked: onLocked as LockWait };
}
