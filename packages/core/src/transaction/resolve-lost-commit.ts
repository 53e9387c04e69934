import { withTimeout } from '../async/with-timeout.js';
import { CommitOutcomeUnknownError, type CommitOutcome } from '../errors/commit-outcome-unknown-error.js';
import { ConnectionLostError } from '../errors/connection-lost-error.js';
import type { Pool } from '../pool/pool.js';

/**
 * Runs `work` (an operation that took a lease and has given it back, destroyed if broken) and, when it
 * fails with a `CommitOutcomeUnknownError` carrying a resolver, asks the database what became of the commit:
 *
 * - on a fresh lease from the same `pool`, so the resolution never opens a connection beyond `max` and
 *   waits for one like any caller;
 * - within one acquire deadline (`pool.acquireTimeoutMs`) for the acquire and the resolver together; a
 *   resolver still running then is abandoned and its connection destroyed;
 * - `committed` → `work` succeeded: resolves with `committedValue()` (a transaction's callback result,
 *   kept before its COMMIT was sent), else the error's `committed` value (an operation that ran its own
 *   transaction), else `undefined` (the void operations resolvers are attached to);
 *   `not-committed` → `ConnectionLostError` (nothing was written; safe to retry); anything else, a failed
 *   acquire or a resolver that threw → `CommitOutcomeUnknownError` without a resolver.
 */
export function resolveLostCommit<T>(
  pool: Pool,
  work: () => Promise<T>,
  committedValue?: () => T,
): Promise<T> {
  // Not an async function: every operation outside a transaction runs through here, and the happy path
  // then costs one promise (a `catch`) instead of an async function's and its `await`'s.
  let running: Promise<T>;
  try {
    running = work();
  } catch (error) {
    running = Promise.reject(error);
  }
  return running.catch((error: unknown) => resolveLost(pool, error, committedValue));
}

/** A failed `work`: a lost commit is resolved on a fresh connection; any other error passes through. */
async function resolveLost<T>(pool: Pool, error: unknown, committedValue?: () => T): Promise<T> {
  if (!(error instanceof CommitOutcomeUnknownError) || error.resolve === undefined) throw error;
  const outcome = await ask(pool, error);
  if (outcome.result === 'committed')
    return committedValue ? committedValue() : (error.committed?.value as T);
  if (outcome.result === 'not-committed') {
    throw new ConnectionLostError(
      `the connection was lost during the commit, and the database says it did not take effect: ${error.message}`,
      { cause: error.cause },
    );
  }
  throw new CommitOutcomeUnknownError(error.message, { cause: outcome.cause ?? error.cause });
}

async function ask(
  pool: Pool,
  error: CommitOutcomeUnknownError,
): Promise<{ result: CommitOutcome; cause?: unknown }> {
  const resolve = error.resolve!;
  const deadline = performance.now() + pool.acquireTimeoutMs;
  let lease: Awaited<ReturnType<Pool['acquire']>>;
  try {
    lease = await pool.acquire();
  } catch (cause) {
    return { result: 'unknown', cause };
  }
  let destroy = false;
  try {
    const left = Math.max(0, deadline - performance.now());
    const result = await withTimeout(
      resolve(lease.connection),
      left,
      `the resolution took longer than ${Math.round(left)} ms`,
    );
    return { result };
  } catch (cause) {
    // The resolver may still be running on this connection: it must not be handed out again.
    destroy = true;
    return { result: 'unknown', cause };
  } finally {
    await pool.release(lease, destroy);
  }
}
