import { ValidationError } from '../errors/validation-error.js';

/** The isolation levels berth maps onto every backend that has them. */
export type IsolationLevel = 'serializable' | 'repeatable read' | 'read committed';

/** Every accepted `isolation` value, for validation and error messages. */
export const ISOLATION_LEVELS: readonly IsolationLevel[] = Object.freeze([
  'serializable',
  'repeatable read',
  'read committed',
]);

/** What the driver connection is asked for when it starts a transaction. */
export interface BeginOptions {
  /** The isolation level; absent means the server's default. */
  readonly isolation?: IsolationLevel;
  /** Refuse writes for the whole transaction (`ReadOnlyTransactionError`). */
  readonly readOnly?: boolean;
}

/** Jittered exponential backoff between attempts: a random delay in `[0, min(maxMs, baseMs * 2^(n-1))]`. */
export interface RetryBackoff {
  /** The delay cap before the second attempt (default 10 ms). */
  readonly baseMs?: number;
  /** The largest delay (default 1 000 ms). */
  readonly maxMs?: number;
}

/** Re-running a whole transaction that lost a conflict. */
export interface RetryOptions {
  /** Attempts in all, the first included (at least 1). */
  readonly attempts: number;
  /** The wait between attempts; default: a jittered exponential backoff from 10 ms up to 1 000 ms. */
  readonly backoff?: RetryBackoff;
}

/** `db.transaction(fn, options)`. */
export interface TransactionOptions extends BeginOptions {
  /**
   * Re-run the whole callback when the transaction fails with a retryable conflict
   * (`TransactionConflictError`: serialization failure, deadlock, MongoDB's TransientTransactionError).
   * Only the outermost transaction can retry; `CommitOutcomeUnknownError` and non-retryable errors are
   * never retried.
   */
  readonly retry?: RetryOptions;
}

/** What the callback is told about the run it is in. */
export interface TransactionAttempt {
  /** 1 for the first run, 2 for the first retry, ... */
  readonly attempt: number;
}

const KNOWN_KEYS = new Set(['isolation', 'readOnly', 'retry']);

function fail(message: string): never {
  throw new ValidationError(`transaction options: ${message}`);
}

/**
 * Checks options given at runtime (JavaScript callers, options built from configuration): unknown keys,
 * unknown isolation levels and malformed retry settings throw `ValidationError`.
 */
export function validateTransactionOptions(options: unknown): TransactionOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) fail('expected an object');
  for (const key of Object.keys(options)) if (!KNOWN_KEYS.has(key)) fail(`unknown option "${key}"`);
  const { isolation, readOnly, retry } = options as Record<string, unknown>;
  if (isolation !== undefined && !ISOLATION_LEVELS.includes(isolation as IsolationLevel)) {
    fail(`isolation must be one of ${ISOLATION_LEVELS.map((l) => `'${l}'`).join(', ')}`);
  }
  if (readOnly !== undefined && typeof readOnly !== 'boolean') fail('readOnly must be a boolean');
  if (retry !== undefined) validateRetry(retry);
  return options as TransactionOptions;
}

function validateRetry(retry: unknown): void {
  if (typeof retry !== 'object' || retry === null) fail('retry must be an object');
  const { attempts, backoff } = retry as Record<string, unknown>;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1) {
    fail('retry.attempts must be an integer of at least 1');
  }
  if (backoff === undefined) return;
  if (typeof backoff !== 'object' || backoff === null) fail('retry.backoff must be an object');
  for (const key of ['baseMs', 'maxMs'] as const) {
    const value = (backoff as Record<string, unknown>)[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      fail(`retry.backoff.${key} must be a finite number of milliseconds, at least 0`);
    }
  }
}

/** The begin options alone, or undefined when there are none (the plain `BEGIN` path). */
export function beginOptionsOf(options: TransactionOptions): BeginOptions | undefined {
  if (options.isolation === undefined && options.readOnly === undefined) return undefined;
  return { isolation: options.isolation, readOnly: options.readOnly };
}
