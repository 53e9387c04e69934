import type { NodeTlsOptions } from '@berth/sql';

/**
 * The part of node-postgres (`pg`) that berth uses, declared structurally (as Kysely does) so the package's
 * types do not depend on pg's and a caller can hand in any `pg.Pool`. Fields marked internal are read when
 * present and never required.
 */

/** What a query resolves to. */
export interface PgQueryResultLike {
  rows: Record<string, unknown>[];
  /** Rows inserted, deleted or matched by an UPDATE; `null` for statements that report none. */
  rowCount: number | null;
}

/** A query by config: `name` makes pg prepare it once per connection and reuse it. */
export interface PgQueryConfigLike {
  text: string;
  values?: unknown[];
  name?: string;
}

/** A `pg.Client` checked out of a `pg.Pool`. */
export interface PgPoolClientLike {
  /** Runs a statement by config (a named one is prepared once per connection). */
  query(config: PgQueryConfigLike): Promise<PgQueryResultLike>;
  /** Runs a statement with bound values. */
  query(text: string, values?: unknown[]): Promise<PgQueryResultLike>;
  /**
   * Gives the client back to its pool. With an error or `true`, pg-pool closes it and drops it instead.
   * Throws when called twice.
   */
  release(destroy?: Error | boolean): void;
  /** The backend's process id, set once connected: what `pg_terminate_backend` takes. */
  readonly processID?: number | null;
  /** Called when the connection fails while checked out. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Removes a listener `on` added. */
  off(event: 'error', listener: (error: Error) => void): unknown;
  /**
   * Internal to pg (8.12+): the transaction status of the last ReadyForQuery, `I` idle, `T` in a
   * transaction, `E` in a failed transaction.
   */
  readonly _txStatus?: string | null;
  /** Internal to pg: false once the connection has ended or failed. */
  readonly _queryable?: boolean;
  /**
   * Internal to pg: the protocol connection; its `parsedStatements` records what the server prepared, and
   * its `stream` is the socket.
   */
  readonly connection?: unknown;
}

/** A `pg.Pool`. */
export interface PgPoolLike {
  /** Checks a client out, opening one when none is idle and the pool is not full. */
  connect(): Promise<PgPoolClientLike>;
  /** Closes every client; the pool accepts no more requests. */
  end(): Promise<void>;
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ending?: boolean;
  /** The options the pool was built with; berth reads `max` and `min` of a pool handed in. */
  readonly options?: { max?: number; min?: number };
  /** Called with each client the pool opens (`connect`) or drops (`remove`). */
  on(event: 'connect' | 'remove', listener: (client: PgPoolClientLike) => void): unknown;
  /** Called when an idle client fails. */
  on(event: 'error', listener: (error: Error, client: PgPoolClientLike) => void): unknown;
  /** Removes a `connect` or `remove` listener. */
  off(event: 'connect' | 'remove', listener: (client: PgPoolClientLike) => void): unknown;
  /** Removes an `error` listener. */
  off(event: 'error', listener: (error: Error, client: PgPoolClientLike) => void): unknown;
}

/** The options of `new pg.Pool(config)` that berth sets. */
export interface PgPoolConfig {
  connectionString: string;
  max: number;
  min: number;
  idleTimeoutMillis: number;
  connectionTimeoutMillis: number;
  maxLifetimeSeconds: number;
  keepAlive: boolean;
  keepAliveInitialDelayMillis: number;
  application_name?: string;
  fallback_application_name: string;
  statement_timeout?: number;
  query_timeout?: number;
  /** TLS: `false` for plain TCP, else the options pg hands to Node's `tls.connect`. */
  ssl?: false | NodeTlsOptions;
  /** pg 8.23+: each client sends a query without waiting for the answers to those before it. */
  pipeline?: boolean;
}

/** The `pg` module, as `import('pg')` sees it (CommonJS: the exports may sit on `default`). */
export interface PgModuleLike {
  Pool?: new (config: PgPoolConfig) => PgPoolLike;
  /** The client class; its prototype tells whether this pg can pipeline. */
  Client?: { prototype: object };
  default?: { Pool: new (config: PgPoolConfig) => PgPoolLike; Client?: { prototype: object } };
}
