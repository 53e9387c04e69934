/**
 * The part of mysql2 that berth uses, declared structurally (as Kysely does for its drivers) so the
 * package's types do not depend on mysql2's and tests can hand in fakes. Members whose names start with an
 * underscore are mysql2 internals, read-only and only where mysql2 exposes no public equivalent.
 */

/** What `query` resolves to: rows for a SELECT, a header with counts for anything else. */
export type Mysql2QueryResult = [
  (
    | Record<string, unknown>[]
    | {
        /** Rows changed (with `FOUND_ROWS`: rows matched) by an INSERT, UPDATE or DELETE. */
        affectedRows?: number;
        /** The first AUTO_INCREMENT value an INSERT generated; 0 when it generated none. */
        insertId?: number | string;
      }
  ),
  unknown,
];

/** A callback-style mysql2 connection (`PoolConnection`), as the pool's events hand it out. */
export interface Mysql2CoreConnection {
  /** The server's id for this session (`CONNECTION_ID()`), known once the handshake is done. */
  readonly threadId: number | null;
  /** When mysql2 last released the connection to its pool (ms since the epoch). */
  readonly lastActiveTime?: number;
  /** Tells the driver when the connection fails or its server ends it. */
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  /**
   * Removes the connection from its pool and closes it. Idempotent. mysql2 only half-closes the socket
   * (`end()`), which lingers until the peer answers; see `stream`.
   */
  destroy(): void;
  /** Internal to mysql2: the socket, destroyed outright for a connection whose peer stopped answering. */
  readonly stream?: {
    /** Destroys the socket at once, without waiting for the peer. */
    destroy(): void;
  };
}

/** The promise wrapper around a pooled connection (`mysql2/promise`'s `PoolConnection`). */
export interface Mysql2PoolConnection {
  /** The callback-style connection underneath, for its thread id, events and socket. */
  readonly connection: Mysql2CoreConnection;
  /**
   * With `timeout`, mysql2 fails the query with `PROTOCOL_SEQUENCE_TIMEOUT` ("Query inactivity timeout")
   * when no full answer came within that many milliseconds of sending it, and drops the answer if it comes
   * later; the connection is then in an unknown state and must be destroyed.
   */
  query(sql: string | { sql: string; timeout?: number }, values?: unknown[]): Promise<Mysql2QueryResult>;
  /**
   * A server-side prepared statement (prepared once per connection and SQL text, kept in mysql2's cache of
   * `maxPreparedStatements`), executed with the values bound in the binary protocol: never spliced into
   * the SQL text, so no session setting (`sql_mode`) can change what they mean.
   */
  execute(sql: string | { sql: string; timeout?: number }, values?: unknown[]): Promise<Mysql2QueryResult>;
  /** COM_PING: a round trip proving the connection works. */
  ping(): Promise<void>;
  /** COM_RESET_CONNECTION: rolls back, drops session variables, temporary tables and locks. */
  reset(): Promise<void>;
  /** Returns the connection to mysql2's pool. */
  release(): void;
  /** Closes the connection and removes it from mysql2's pool. */
  destroy(): void;
}

/** mysql2's internal queue type behind `_allConnections` / `_freeConnections`. */
export interface Mysql2Queue<T> {
  /** How many items the queue holds. */
  readonly length: number;
  /** The item at `index` (0 is the head). */
  get(index: number): T;
}

/** The callback pool behind the promise pool (`promisePool.pool`). */
export interface Mysql2CorePool {
  /** Called with each connection mysql2 opens, before it is handed out. */
  on(event: 'connection', listener: (connection: Mysql2CoreConnection) => void): unknown;
  /** Called with an error the pool itself meets (not a query's). */
  on(event: 'error', listener: (error: unknown) => void): unknown;
  /** Every connection the pool holds, open or opening, idle or in use (internal; see `nativeStats`). */
  readonly _allConnections: Mysql2Queue<Mysql2CoreConnection>;
  /** The idle ones, longest idle first (internal). */
  readonly _freeConnections: Mysql2Queue<Mysql2CoreConnection>;
}

/** `mysql2/promise`'s pool. */
export interface Mysql2Pool {
  /** The callback-style pool underneath, for its events and internal counts. */
  readonly pool: Mysql2CorePool;
  /** Checks a connection out, opening one when none is idle and the pool is not full. */
  getConnection(): Promise<Mysql2PoolConnection>;
  /** Closes every connection; the pool accepts no more requests. */
  end(): Promise<void>;
}

/** `mysql2/promise`'s `createPool`, the only export berth loads. */
export type CreateMysql2Pool = (options: Record<string, unknown>) => Mysql2Pool;
