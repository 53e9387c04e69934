import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Scope } from './scope.js';
import { TransactionScope } from './transaction-scope.js';

/**
 * The transaction scope the calling code runs inside, if any: the scope AsyncLocalStorage carries, or,
 * when that one has ended, its nearest enclosing scope that has not. Work scheduled inside a transaction
 * (a timer, an event listener, a promise chain) keeps the transaction's context after the transaction is
 * over; skipping ended scopes makes such work run in the enclosing transaction still open, or on the pool.
 * A scope whose end is in flight is still returned, and refuses work with `TransactionEndedError`.
 */
export function ambientScope(storage: AsyncLocalStorage<Scope>): Scope | undefined {
  let scope = storage.getStore();
  while (scope instanceof TransactionScope && scope.ended) scope = scope.parent;
  return scope;
}
