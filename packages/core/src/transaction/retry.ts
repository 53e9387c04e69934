import type { BerthError } from '../errors/berth-error.js';
import { CommitOutcomeUnknownError } from '../errors/commit-outcome-unknown-error.js';
import { TransactionConflictError } from '../errors/transaction-conflict-error.js';
import type { RetryBackoff } from './transaction-options.js';

const DEFAULT_BASE_MS = 10;
const DEFAULT_MAX_MS = 1_000;

/**
 * The delay before attempt `next` (2 for the first retry): "full jitter" exponential backoff, a uniform
 * random delay up to `min(maxMs, baseMs * 2^(next-2))`, so transactions that collided do not collide again
 * in lockstep. `random` returns a number in [0, 1).
 */
export function retryDelayMs(next: number, backoff: RetryBackoff = {}, random: () => number = Math.random) {
  const base = backoff.baseMs ?? DEFAULT_BASE_MS;
  const max = backoff.maxMs ?? DEFAULT_MAX_MS;
  const cap = Math.min(max, base * 2 ** Math.max(0, next - 2));
  return Math.floor(random() * cap);
}

/**
 * Whether a failed transaction may be run again from the start: a `TransactionConflictError` (nothing was
 * committed), never an unknown commit outcome (it may have been applied) nor anything else.
 */
export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof CommitOutcomeUnknownError) return false;
  return error instanceof TransactionConflictError && (error as BerthError).retryable;
}
