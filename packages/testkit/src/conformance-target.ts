import type { Database, DatabaseOptions, DriverOptions, Entity, PoolOptions } from '@berth/core';
import type { TcpProxy } from './faults/tcp-proxy.js';

/**
 * What an adapter hands the conformance suite: how to open its databases, and raw, berth-free ways to look
 * at the database, so the suite writes through berth and checks the database itself (Auth.js style).
 * Optional hooks enable the cases that need them; without a hook those cases are not registered at all.
 */
export interface ConformanceTarget {
  /** The backend's name in test titles, e.g. 'pglite', 'postgres', 'mysql', 'mongodb'. */
  name: string;
  /**
   * Opens a NEW `Database` (with its own pool) on the adapter's test database, passing these options on.
   * Every handle opened during one run must see the same data (readRaw reads it, several handles race on
   * `ensureSchema`). The suite closes every database it opens. `queryEvents` and `logQueries`, when
   * given, must reach `Database.open` / `connect` too.
   */
  open(options: {
    entities: readonly Entity[];
    pool?: PoolOptions & DriverOptions;
    queryEvents?: DatabaseOptions['queryEvents'];
    logQueries?: DatabaseOptions['logQueries'];
  }): Promise<Database>;
  /** Called once before the suite (for example to create the test database). */
  setup?(): Promise<void>;
  /** Called once after the suite (for example to drop the test database). */
  teardown?(): Promise<void>;
  /**
   * Server-side truth: how many connections the server sees from pools opened by `open` (for example
   * `pg_stat_activity` by `application_name`). Omit where the backend cannot tell (PGlite).
   */
  serverConnections?(): Promise<number>;
  /** Server-side truth: transactions left open (for example idle in transaction, `innodb_trx`). */
  openTransactions?(): Promise<number>;
  /**
   * Kills the server side of the connection with this `DriverConnection.id` (for example
   * `pg_terminate_backend`, `KILL CONNECTION`). Omit where impossible (PGlite).
   */
  killConnection?(connectionId: string): Promise<void>;
  /**
   * Arms a one-shot fault on the databases `open` returns: the next COMMIT (`'transaction'`) or the next
   * INSERT outside a transaction (`'lone-insert'`) is executed by the server, but its reply never reaches
   * the client, whose connection is reset (a fault proxy in front of the server, or the test server's
   * per-command fault). Resolves once armed. Omit where there is no connection to lose (PGlite).
   */
  dropNextCommitReply?(what: 'transaction' | 'lone-insert'): Promise<void>;
  /**
   * What a lone INSERT whose reply was lost comes to: `'resolved'` (the default: the adapter finds out
   * and answers as if the reply had come) or `'unknown'` where the adapter cannot ask (behind a
   * transaction-mode pooler, which hides the server session that ran it): `CommitOutcomeUnknownError`,
   * never an error that invites a retry.
   */
  loneInsertReplyLost?: 'resolved' | 'unknown';
  /**
   * Set where `berth migrate` must refuse to run (behind PgBouncer in transaction mode its session lock
   * cannot be held): the suite then checks the refusal (`UnsupportedFeatureError('migrations')`, nothing
   * applied) and the read-only migration cases, instead of the cases that apply files.
   */
  migrationsRefused?: boolean;
  /**
   * Like `open`, but every connection goes through a `TcpProxy` started for it (returned with the database;
   * the suite stops it), so the suite can silence the connections open at a given moment while new ones
   * work (`proxy.freezeOpen()`). Connections must keep the name `serverConnections` counts by. Omit where the
   * backend has no network (PGlite).
   */
  openThroughProxy?(options: { entities: readonly Entity[]; pool?: PoolOptions & DriverOptions }): Promise<{
    /** The database, opened like `open` but with every connection through `proxy`. */
    db: Database;
    /** The proxy in front of the server, started for this database; the suite stops it. */
    proxy: TcpProxy;
  }>;
  /**
   * Set when `open` configures read replicas (`DatabaseOptions.replicas`): reads may then be served by a
   * replica's own pool, so cases that count the acquisitions of `db.pool` count the primary's only.
   */
  readReplicas?: {
    /**
     * True where the replica is asked for its position with a statement of its own whenever a read needs
     * a position it is not known to hold (PostgreSQL: `pg_last_wal_replay_lsn()`; MariaDB:
     * `@@gtid_slave_pos`), and the primary may be read or checked with statements of its own (PostgreSQL:
     * its position after each write, on the write's connection; MariaDB: its binary log, once): the groups
     * that count statements and acquisitions exactly (pool, pool faults, relations, query events) are then
     * not registered, and listed with this reason.
     */
    readonly positionChecksCounted?: boolean;
  };
  /**
   * Raw read-back, bypassing berth: every row of a table or collection as a plain object keyed by field
   * name (`_id` is accepted for `id`), ids as strings. Values may be in the driver's raw form (bigint or
   * numeric strings, 0/1 booleans, JSON text); the suite normalizes them by field kind before comparing.
   */
  readRaw(table: string): Promise<Record<string, unknown>[]>;
}
