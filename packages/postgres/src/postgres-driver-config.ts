import type { DriverOptions } from '@berth/core';
import type { TlsOptions } from '@berth/sql';
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
  /**
   * The URL points at PgBouncer in transaction pooling mode (also `?pgbouncer=true` in the URL; this option
   * wins). Each transaction may then run on another server session, so berth relies on no session state:
   * no prepared statements (PgBouncer 1.18 cannot keep them; `preparedStatements: true` is refused), no
   * `statement_timeout` at connect (PgBouncer refuses the startup parameter): it is set with
   * `SET LOCAL` in each transaction's BEGIN round trip, and lone statements keep only the client-side
   * bound (set the role's own `statement_timeout` for a server-side one). A COMMIT whose reply was lost is
   * resolved against the server session that ran the transaction, read with its BEGIN; a lone INSERT's
   * cannot be (the bouncer hides which session ran it), so it is `CommitOutcomeUnknownError`.
   * Default false.
   */
  pgbouncer?: boolean;
  /**
   * TLS (see `TlsOptions`; also `sslmode`, `sslrootcert`, `sslcert`, `sslkey`, `sslpassword` in the URL,
   * which these options override field by field). Verification without a CA is refused when the driver is
   * made; a failed handshake is a `TlsError` naming the reason, never a fallback to plain TCP. Not with
   * `pool` (configure the pool's own `ssl`).
   */
  tls?: TlsOptions;
  /** TCP keepalive: the first probe after this much silence on a connection (default 10 000 ms). */
  keepAliveInitialDelayMs?: number;
  /**
   * Pipelining (needs pg 8.23 or later): once every connection is in use, reads outside transactions
   * (`findById`, `find`, `findOne`, `count`, `aggregate`, relations loaded with them) share connections,
   * up to `pipelineDepth` at a time on each, sent without waiting for the answers before them. Each read
   * is its own statement and Sync, so one failing (or cancelled by `statementTimeoutMs`) never fails
   * another; a lost connection fails every read in flight on it with `ConnectionLostError`. Transactions,
   * writes and raw SQL keep a connection of their own. It helps when many callers make short reads on a
   * small pool; it does not when reads are long: a read waits for every one sent before it on its
   * connection (head-of-line blocking). Not with `preparedStatements` or a pool handed in. Default false.
   */
  pipeline?: boolean;
  /** With `pipeline`, most reads in flight on one connection at once (default 8, at least 2). */
  pipelineDepth?: number;
  /**
   * With `pipeline`, where a read goes while a connection is still free. `'spread'` (default): it takes
   * that connection, and reads share only once every connection is busy; best when reads wait on the
   * server (I/O, locks, slow plans), which then runs them side by side. `'pack'`: it joins a connection
   * that has fewer than `pipelineDepth` reads in flight, and another connection opens only when all are
   * full; the fewest connections and the least CPU per read, best for short reads on a busy client host,
   * worst for slow ones (each waits for the reads ahead of it on its connection).
   */
  pipelineFill?: 'spread' | 'pack';
}

/** The defaults `DriverOptions` documents, and the adapter's own. */
export const POSTGRES_DEFAULTS = Object.freeze({
  /** Most connections open at once. */
  max: 10,
  /** Connections kept open when idle. */
  min: 0,
  /** Milliseconds an idle connection above `min` is kept before it is closed. */
  idleTimeoutMs: 30_000,
  /** Milliseconds a connection lives before it is closed and replaced (30 minutes). */
  maxLifetimeMs: 30 * 60_000,
  /** Milliseconds to open a connection (TCP, TLS and start-up) before giving up. */
  connectTimeoutMs: 5_000,
  /** The `application_name` the server shows for berth's sessions (`pg_stat_activity`). */
  applicationName: 'berth',
  /** Named prepared statements kept per connection (see `PostgresDriverConfig.preparedStatementCacheSize`). */
  preparedStatementCacheSize: 100,
  /** Milliseconds of silence before the first TCP keepalive probe. */
  keepAliveInitialDelayMs: 10_000,
  /** With `pipeline`, most reads in flight on one connection at once. */
  pipelineDepth: 8,
});

/**
 * How far past `statementTimeoutMs` the client-side bound of a statement fires: a twentieth of the
 * statement timeout, at least 20 ms and at most 1 s, so a statement in flight on a dead network fails
 * within the statement timeout + 10 % (for timeouts of 200 ms and more).
 *
 * The two timers race. PostgreSQL starts its `statement_timeout` when the statement reaches it, and its
 * cancel (SQLSTATE 57014, `StatementTimeoutError`, the connection kept) needs one round trip back; the
 * client's bound starts when the statement is sent. The margin covers that round trip on any reasonable
 * network (5 % of 1 s is 50 ms), and the bound is berth's own timer (`withinStatementBound`), not pg's
 * `query_timeout`: when it fires, an answer already in the socket is handled first, so a busy event loop
 * does not turn a server-cancelled statement into a lost connection. Only a server or network that answers
 * nothing at all meets the bound (`ConnectionLostError`, the connection destroyed). Where the round trip
 * exceeds the margin, a slow statement is reported as a lost connection and its connection replaced:
 * costly, but never wrong, since the connection may then really be in an unknown state.
 */
export const QUERY_TIMEOUT_MARGIN = Object.freeze({
  /** The margin's share of the statement timeout: a twentieth. */
  ratio: 0.05,
  /** The smallest margin, in milliseconds. */
  minMs: 20,
  /** The largest margin, in milliseconds. */
  maxMs: 1_000,
});

/** The margin of the client-side bound past a statement timeout of `statementTimeoutMs`, in whole milliseconds. */
export function queryTimeoutMarginMs(statementTimeoutMs: number): number {
  const { ratio, minMs, maxMs } = QUERY_TIMEOUT_MARGIN;
  return Math.ceil(Math.min(maxMs, Math.max(minMs, statementTimeoutMs * ratio)));
}

/**
 * The client-side bound of every statement, in whole milliseconds, for a statement timeout of
 * `statementTimeoutMs`; `undefined` (no bound) without one (absent or 0, PostgreSQL's "none").
 */
export function statementBoundMs(statementTimeoutMs: number | undefined): number | undefined {
  if (statementTimeoutMs === undefined || !(statementTimeoutMs > 0) || !Number.isFinite(statementTimeoutMs))
    return undefined;
  const ms = Math.ceil(statementTimeoutMs);
  return ms + queryTimeoutMarginMs(ms);
}
