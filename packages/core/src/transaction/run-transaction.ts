import { setTimeout as sleep } from 'node:timers/promises';
import { ValidationError } from '../errors/validation-error.js';
import { isRetryableConflict, retryDelayMs } from './retry.js';
import type { Scope } from './scope.js';
import type { TransactionWrappers } from './transaction-wrappers.js';
import {
  type TransactionAttempt,
  type TransactionOptions,
  beginOptionsOf,
  validateTransactionOptions,
} from './transaction-options.js';

/** The options each open transaction was started with, by its scopes (nested scopes share the outer's). */
const optionsByScope = new WeakMap<Scope, TransactionOptions>();

function register<T>(options: TransactionOptions, fn: (scope: Scope) => Promise<T>) {
  return (scope: Scope): Promise<T> => {
    optionsByScope.set(scope, options);
    return fn(scope);
  };
}

/**
 * A nested transaction joins the outer one, so its options cannot change how the transaction runs: an
 * `isolation` or `readOnly` it states must be the outer transaction's (a check of what the code relies on),
 * and `retry` is refused, because a conflict aborts the whole transaction and only the outermost can re-run.
 */
function checkNested(outer: TransactionOptions, inner: TransactionOptions): void {
  if (inner.retry !== undefined) {
    throw new ValidationError(
      'transaction options: retry applies only to the outermost transaction; set it there',
    );
  }
  if (inner.isolation !== undefined && inner.isolation !== outer.isolation) {
    throw new ValidationError(
      `transaction options: a nested transaction asks for isolation '${inner.isolation}' but the outer one runs with ${outer.isolation === undefined ? "the server's default" : `'${outer.isolation}'`}`,
    );
  }
  if (inner.readOnly !== undefined && inner.readOnly !== (outer.readOnly ?? false)) {
    throw new ValidationError(
      `transaction options: a nested transaction asks for readOnly: ${inner.readOnly} but the outer one has readOnly: ${outer.readOnly ?? false}`,
    );
  }
}

/**
 * Runs `fn` in a transaction on `scope` with `options`: validates them, refuses what a nested transaction
 * cannot honour, and with `retry` re-runs the whole outermost transaction after a retryable conflict, with
 * jittered exponential backoff, telling `fn` which attempt it is on.
 */
export async function runTransaction<T>(
  scope: Scope,
  fn: (scope: Scope, attempt: TransactionAttempt) => Promise<T>,
  rawOptions: TransactionOptions | undefined,
  wrappers?: TransactionWrappers,
): Promise<T> {
  const options = validateTransactionOptions(rawOptions);
  const wrap = <R>(attempt: number, nested: boolean, o: TransactionOptions, run: () => Promise<R>) =>
    wrappers === undefined ? run() : wrappers.run({ attempt, nested, ...beginOptionsOf(o) }, run);
  if (scope.inTransaction) {
    const outer = optionsByScope.get(scope) ?? {};
    checkNested(outer, options);
    return wrap(1, true, outer, () =>
      scope.transaction(register(outer, (inner) => fn(inner, { attempt: 1 }))),
    );
  }
  const begin = beginOptionsOf(options);
  const attempts = options.retry?.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await wrap(attempt, false, options, () =>
        scope.transaction(
          register(options, (inner) => fn(inner, { attempt })),
          begin,
        ),
      );
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      await sleep(retryDelayMs(attempt + 1, options.retry?.backoff));
    }
  }
}
