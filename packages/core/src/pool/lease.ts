import type { DriverConnection } from '../driver/driver-connection.js';

/**
 * One checkout of a connection. The transaction layer marks it `inTransaction` between BEGIN and
 * COMMIT/ROLLBACK, so the pool knows a connection given back in that state is dirty.
 */
export interface Lease {
  /** The connection lent out. */
  readonly connection: DriverConnection;
  /** When it was lent, as `performance.now()` (for `heldMs` and leak detection). */
  readonly acquiredAt: number;
  /** Between BEGIN and COMMIT/ROLLBACK: given back so, it is rolled back (and destroyed if that fails). */
  inTransaction: boolean;
  /** Set once it is given back: a second release is a `ConnectionReleasedTwiceError`. */
  released: boolean;
  /**
   * Where the connection was acquired, captured only while leak detection is on. An Error object, not its
   * `stack` text: V8 formats the text only when it is read, which is only when a leak is reported.
   */
  readonly origin: Error | undefined;
  /** Set once a leak has been reported for this lease, so it is reported once. */
  leakReported: boolean;
}
