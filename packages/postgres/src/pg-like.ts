import type { NodeTlsOptions } from '@berth/sql';

/**
 * The part of node-postgres (`pg`) that berth uses, declared structurally (as Kysely does) so the package's
 * types do not depend on pg's and a caller can hand in any `pg.Pool`. Fields marked internal are read when
 * present and never required.
 */

/** What a query resolves to. */
export interface PgQueryResultLike {
  /**
   * The rows returned, by column name, or as arrays of column values in select order for a query of
   * `rowMode: 'array'`; empty for a statement that returns none.
   */
  rows: Record<string, unknown>[];
  /** Rows inserted, deleted or matched by an UPDATE; `null` for statements that report none. */
  rowCount: number | null;
}

/** A query by config: `name` makes pg prepare it once per connection and reuse it. */
export interface PgQueryConfigLike {
  /** The statement, with `$1`, `$2`... placeholders. */
  text: string;
  /** The placeholders' values, in order. */
  values?: unknown[];
  /** The prepared statement's name on the connection; unnamed statements are not kept. */
  name?: string;
  /**
   * `'array'`: each row is an array of its column values in select order rather than an object (pg
   * describes the portal on every execution, named statements included, so the parsers always match).
   */
  rowMode?: 'array';
}

/** A `pg.Client` checked out of a `pg.Pool`. */
export interface PgPoolClientLike {
  /** Runs a statement by config (a named one is prepared once per connection). */
  query(config: PgQueryConfigLike): Promise<PgQueryResultLike>;
  /** Runs a statement with bound values. */
  query(text: string, values?: unknown[]): Promise<PgQueryResultLike>;
  /**
   * Runs a statement by config and calls back with its outcome: what berth uses on its hot path, since
   * pg's promise form costs two promises and a rejection handler per statement.
   */
  query(
    config: PgQueryConfigLike,
    callback: (error: Error | null | undefined, result: PgQueryResultLike) => void,
  ): unknown;
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
  /** The same, calling back instead of returning a promise (what berth uses: one promise less per acquire). */
  connect(callback: (error: Error | null | undefined, client: PgPoolClientLike | undefined) => void): unknown;
  /** Closes every client; the pool accepts no more requests. */
  end(): Promise<void>;
  /** Clients open or opening. */
  readonly totalCount: number;
  /** Of those, the ones idle. */
  readonly idleCount: number;
  /** Callers of `connect()` waiting for a client. */
  readonly waitingCount: number;
  /** True once `end()` has been called. */
  readonly ending?: boolean;
  /** The options the pool was built with; berth reads `max` and `min` of a pool handed in. */
  readonly options?: {
    /** Most clients open at once. */
    max?: number;
    /** Clients kept open when idle. */
    min?: number;
  };
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
  /** The libpq-style URL pg parses (host, port, user, password, database, `sslmode`...). */
  connectionString: string;
  /** Most clients open at once. */
  max: number;
  /** Clients kept open when idle. */
  min: number;
  /** Milliseconds an idle client is kept before pg closes it. */
  idleTimeoutMillis: number;
  /** Milliseconds to open a client before pg gives up. */
  connectionTimeoutMillis: number;
  /** Seconds a client lives before pg closes it when it is next idle. */
  maxLifetimeSeconds: number;
  /** TCP keepalive on every socket, so a silently dead peer is noticed. */
  keepAlive: boolean;
  /** Milliseconds of silence before the first keepalive probe. */
  keepAliveInitialDelayMillis: number;
  /** The session's `application_name`, when the options set one (it overrides the URL's). */
  application_name?: string;
  /** The `application_name` used when neither the options nor the URL set one. */
  fallback_application_name: string;
  /** The server-side statement timeout in milliseconds (PostgreSQL's `statement_timeout`). */
  statement_timeout?: number;
  /** Milliseconds after which pg fails a query the server has not answered (the client-side bound). */
  query_timeout?: number;
  /** TLS: `false` for plain TCP, else the options pg hands to Node's `tls.connect`. */
  ssl?: false | NodeTlsOptions;
  /** pg 8.23+: each client sends a query without waiting for the answers to those before it. */
  pipeline?: boolean;
}

/** `pg.Pool`'s constructor. */
export interface PgPoolConstructor {
  /** A pool that opens clients with `config`, lazily, up to `config.max`. */
  new (config: PgPoolConfig): PgPoolLike;
}

/** The `pg` module, as `import('pg')` sees it (CommonJS: the exports may sit on `default`). */
export interface PgModuleLike {
  /** `pg.Pool`, when the module's exports are read as named ones. */
  Pool?: PgPoolConstructor;
  /** The client class; its prototype tells whether this pg can pipeline. */
  Client?: {
    /** Checked for pipelining support. */
    prototype: object;
  };
  /** The CommonJS exports object, where `Pool` sits when imported as ESM. */
  default?: {
    /** `pg.Pool`. */
    Pool: PgPoolConstructor;
    /** The client class. */
    Client?: {
      /** Checked for pipelining support. */
      prototype: object;
    };
  };
}
