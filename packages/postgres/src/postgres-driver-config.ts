import type { DriverOptions } from '@berth/core';
import type { PgPoolLike } from './pg-like.js';

/** Options of `PostgresDriver`: berth's driver options, plus PostgreSQL's own. */
export interface PostgresDriverConfig extends DriverOptions {
  /** A `postgres://` or `postgresql://` URL, handed to pg as its `connectionString`. */
  url?: string;
  /**
   * A `pg.Pool` of your own, used instead of one built from `url`. You keep ownership: `close()` leaves it
   * open, and its own options (size, timeouts) apply; berth still never asks it for more than its `max`
   * connections at once. The size-and-timeout options here are then ignored, except `min`, which berth
   * keeps open if the pool's own `min` is lower.
   */
  pool?: PgPoolLike;
  /**
   * Prepare statements on the server, named by a hash of their SQL, and reuse them on each connection
   * (default false: transaction-mode poolers such as PgBouncer cannot hold them).
   */
  preparedStatements?: boolean;
  /** Most prepared statements kept per connection; the least recently used is deallocated (default 100). */
  preparedStatementCacheSize?: number;
  /** TCP keepalive: the first probe after this much silence on a connection (default 10 000 ms). */
  keepAliveInitialDelayMs?: number;
}

/** The defaults `DriverOptions` documents, and the adapter's own. */
export const POSTGRES_DEFAULTS = Object.freeze({
  max: 10,
  min: 0,
  idleTimeoutMs: 30_000,
  maxLifetimeMs: 30 * 60_000,
  connectTimeoutMs: 5_000,
  applicationName: 'berth',
  preparedStatementCacheSize: 100,
  keepAliveInitialDelayMs: 10_000,
});

/**
 * How far past `statementTimeoutMs` pg's client-side `query_timeout` fires: the server cancels a slow
 * statement first; the client gives up only when the server does not answer at all (a dead peer).
 */
export const QUERY_TIMEOUT_MARGIN_MS = 1_000;
