import type { DriverConnection } from '../driver/driver-connection.js';
import type { BeginOptions } from './transaction-options.js';

/**
 * Where operations run: on a connection taken from the pool for the operation, or on the connection a
 * transaction has pinned. Repositories and units of work only ever talk to a `Scope`, so the same code
 * works inside and outside transactions.
 */
export interface Scope {
  /** Runs `fn` on a connection: acquired and released around it, or the pinned one, serialized. */
  run<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T>;
  /**
   * Runs `fn`, reads only (`find`, `count`, `aggregate`: no lock, no transaction, no session state), on a
   * connection other callers' reads may share at once where the driver pipelines (`Pool.runShared`).
   * Absent: `run`.
   */
  runRead?<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction: a new one, or a savepoint inside the current one. `options` (isolation,
   * read-only) apply to a new transaction; a nested one joins the outer's (see `runTransaction`).
   */
  transaction<T>(fn: (scope: Scope) => Promise<T>, options?: BeginOptions): Promise<T>;
  /** True when this scope is inside a transaction. */
  readonly inTransaction: boolean;
  /**
   * Where reads that need no lock and no transaction may run instead (a database with read replicas routes
   * them by replication position); absent: on this scope.
   */
  readonly reads?: Scope;
}

/** Runs reads on `scope` (see `Scope.runRead`), shared with other callers' where the scope allows. */
export function runRead<T>(scope: Scope, fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
  return scope.runRead ? scope.runRead(fn) : scope.run(fn);
}
