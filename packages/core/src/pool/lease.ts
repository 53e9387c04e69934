import type { DriverConnection } from '../driver/driver-connection.js';

/**
 * One checkout of a connection. The transaction layer marks it `inTransaction` between BEGIN and
 * COMMIT/ROLLBACK, so the pool knows a connection given back in that state is dirty.
 */
export interface Lease {
  readonly connection: DriverConnection;
  readonly acquiredAt: number;
  inTransaction: boolean;
  released: boolean;
  /** Where the connection was acquired, captured only while leak detection is on. */
  readonly stack: string | undefined;
  leakTimer: NodeJS.Timeout | undefined;
}
