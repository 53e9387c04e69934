import type { Database, DatabaseOptions, DriverOptions, Entity, PoolOptions } from '@berth/core';

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
   * Raw read-back, bypassing berth: every row of a table or collection as a plain object keyed by field
   * name (`_id` is accepted for `id`), ids as strings. Values may be in the driver's raw form (bigint or
   * numeric strings, 0/1 booleans, JSON text); the suite normalizes them by field kind before comparing.
   */
  readRaw(table: string): Promise<Record<string, unknown>[]>;
}
