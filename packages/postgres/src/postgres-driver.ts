import {
  asError,
  checkDriverDurations,
  checkDuration,
  type Capabilities,
  ConnectionLostError,
  DatabaseError,
  type Driver,
  type DriverConnection,
  type DriverHooks,
  ValidationError,
  withTimeout,
} from '@berth/core';
import { mapPostgresError, mapTlsError, type ResolvedTls, resolveTls } from '@berth/sql';
import { MinConnections } from './min-connections.js';
import type { PgModuleLike, PgPoolClientLike, PgPoolConfig, PgPoolLike } from './pg-like.js';
import { PostgresConnection } from './postgres-connection.js';
import { POSTGRES_REPLICATION } from './postgres-replication.js';
import { POSTGRES_DEFAULTS, type PostgresDriverConfig, statementBoundMs } from './postgres-driver-config.js';
import { takeTlsParams } from './postgres-tls-url.js';
import { checkPostgresUrl, takePgbouncerParam } from './postgres-url.js';
import { PreparedStatementCache } from './prepared-statement-cache.js';
import { toPgPoolConfig } from './to-pg-pool-config.js';

/** PostgreSQL has it all. */
export const POSTGRES_CAPABILITIES: Capabilities = Object.freeze({
  multipleConnections: true,
  transactions: true,
  savepoints: true,
  returning: true,
  lockingReads: true,
  foreignKeys: true,
  relationSubqueries: true,
  generatedIds: true,
});

/**
 * The depth of `pipeline` (see `PostgresDriverConfig.pipeline`), or a `ValidationError` for the options it
 * cannot work with: prepared statements (a statement evicted from the cache would be deallocated while
 * another caller's read of it is in flight) and a pool handed in (its clients were not built to pipeline).
 */
function checkPipeline(config: PostgresDriverConfig): number {
  if (config.preparedStatements) {
    throw new ValidationError(
      'pipeline cannot be used with preparedStatements: a statement evicted from the cache would be ' +
        "deallocated while another caller's read of it is still in flight on the same connection",
    );
  }
  if (config.pool) {
    throw new ValidationError('pipeline applies to the pool berth builds from url, not to a pool handed in');
  }
  if (
    config.pipelineFill !== undefined &&
    config.pipelineFill !== 'spread' &&
    config.pipelineFill !== 'pack'
  ) {
    throw new ValidationError(`pipelineFill must be 'spread' or 'pack', not ${String(config.pipelineFill)}`);
  }
  const depth = config.pipelineDepth ?? POSTGRES_DEFAULTS.pipelineDepth;
  if (!Number.isInteger(depth) || depth < 2) {
    throw new RangeError(`pipelineDepth must be a whole number of at least 2 (got ${config.pipelineDepth})`);
  }
  return depth;
}

/** A peer dependency, loaded on open; named through a constant so its types are not required. */
const PG_MODULE = 'pg';

/** How long a connection given back inside a transaction may take to roll back before it is destroyed. */
const RELEASE_ROLLBACK_TIMEOUT_MS = 2_000;

/** What `release` answers when it gave the client back at once (one settled promise, shared). */
const RELEASED: Promise<void> = Promise.resolve();

/** A client that can go back to pg's pool as it is: healthy and outside any transaction. */
function isClean(wrapper: PostgresConnection, client: PgPoolClientLike): boolean {
  return !wrapper.broken && client._queryable !== false && wrapper.transactionStatus === 'idle';
}

/**
 * A connect failure as berth's error: the server's own refusals (bad password, no such database) keep
 * their SQLSTATE as `DatabaseError`; TLS failures (a certificate refused, a server that wants TLS or offers
 * none) are `TlsError`; everything else (refused, timed out, reset, server starting or
 * shutting down) is `ConnectionLostError`.
 */
function connectError(error: unknown, tls: boolean): Error {
  const tlsFailure = mapTlsError(error, tls);
  if (tlsFailure) return tlsFailure;
  const message = asError(error).message;
  if (message.startsWith('unsupported startup parameter')) {
    // PgBouncer's refusal of what it does not pool (berth's statement_timeout, say).
    return new DatabaseError(
      `${message}: the server is PgBouncer (or a pooler like it); connect with pgbouncer: true or ?pgbouncer=true in the URL`,
      undefined,
      { cause: error },
    );
  }
  const mapped = mapPostgresError(error, []);
  if (mapped instanceof DatabaseError && mapped.driverCode !== undefined) return mapped;
  if (mapped instanceof ConnectionLostError) {
    return new ConnectionLostError(`could not connect to PostgreSQL: ${mapped.message}`, { cause: error });
  }
  return new ConnectionLostError(`could not connect to PostgreSQL: ${asError(error).message}`, {
    cause: error,
  });
}

/**
 * The driver for PostgreSQL over node-postgres: a `pg.Pool` (built from the URL, or handed in) behind
 * berth's pool, which never asks it for more than `max` connections at once, so pg's own queue and its
 * waits are never used. What pg-pool leaves to its user, this does:
 *
 * - an error on an idle connection (the server ended it) never crashes the process: pg-pool drops the
 *   client and the error goes to `DriverHooks.onError`; one on a checked-out client marks it broken;
 * - a connection that failed with a connection-class error is destroyed, never returned;
 * - a connection given back inside a transaction, or in a failed one (PostgreSQL's own status, as pg last
 *   read it), is rolled back, or destroyed when that fails;
 * - `min` connections are really kept open, and replaced when lost;
 * - statements may be prepared (`preparedStatements`), with a bounded cache per connection.
 *
 * Connection ids are the backends' process ids. pg is loaded when the driver opens (it is a peer
 * dependency), unless a pool is handed in.
 */
export class PostgresDriver implements Driver {
  /** The backend's name, as `db.backend` reports it. */
  readonly backend = 'postgres';
  /** Transactions, savepoints, `RETURNING` and foreign keys (`POSTGRES_CAPABILITIES`). */
  readonly capabilities = POSTGRES_CAPABILITIES;
  /** WAL locations, for read replicas. */
  readonly replication = POSTGRES_REPLICATION;
  readonly max: number;
  /** Connections kept open even when idle. */
  readonly min: number;
  /** With `pipeline`, how many reads may share a connection at once; otherwise none. */
  readonly pipelineDepth: number | undefined;
  /** With `pipeline`, whether reads fill shared connections before taking free ones (`pipelineFill`). */
  readonly pipelineFill: 'spread' | 'pack' | undefined;
  readonly #config: PostgresDriverConfig;
  readonly #pgConfig: PgPoolConfig | undefined;
  /** Whether connections ask for TLS (so a handshake's failure is read as a `TlsError`). */
  readonly #tls: boolean;
  readonly #connections = new WeakMap<PgPoolClientLike, PostgresConnection>();
  readonly #clients = new WeakMap<DriverConnection, PgPoolClientLike>();
  readonly #checkedOut = new Set<PgPoolClientLike>();
  /** Clients whose end `onDestroy` has reported already. */
  readonly #reported = new WeakSet<PgPoolClientLike>();
  readonly #createdAt = new WeakMap<PgPoolClientLike, number>();
  #state: 'new' | 'open' | 'closed' = 'new';
  #pool: PgPoolLike | undefined;
  #hooks: DriverHooks | undefined;
  #minConnections: MinConnections | undefined;
  #detach: (() => void) | undefined;

  /**
   * Checks the options at once (`RangeError` for impossible sizes, `ValidationError` for a URL that is not
   * PostgreSQL's or a duration that is not finite, negative or past 2^31 − 1 ms, `TlsError` for TLS options
   * that cannot work, see `resolveTls`, whose files are read here); connects only in `open`.
   */
  constructor(config: PostgresDriverConfig) {
    checkDriverDurations(config);
    checkDuration('keepAliveInitialDelayMs', config.keepAliveInitialDelayMs);
    const fromUrl = config.url === undefined ? undefined : takePgbouncerParam(config.url);
    const pgbouncer = config.pgbouncer ?? fromUrl?.pgbouncer ?? false;
    if (pgbouncer && config.preparedStatements) {
      throw new ValidationError(
        'preparedStatements cannot be used with pgbouncer: in transaction pooling mode PgBouncer (before 1.21) ' +
          'hands each transaction to any server session, where a statement prepared on another is unknown',
      );
    }
    const fromTlsUrl = fromUrl === undefined ? undefined : takeTlsParams(fromUrl.url);
    this.#config = { ...config, url: fromTlsUrl?.url, pgbouncer };
    if (config.pool && config.tls) {
      throw new ValidationError('tls applies to the pool berth builds; give your own pool its ssl option');
    }
    let tls: ResolvedTls | false | undefined;
    if (config.pool === undefined && (config.tls !== undefined || fromTlsUrl?.tls !== undefined)) {
      tls = resolveTls({ ...fromTlsUrl?.tls, ...config.tls });
    }
    this.#tls = tls !== undefined && tls !== false;
    if (config.pool) {
      this.max = config.pool.options?.max ?? POSTGRES_DEFAULTS.max;
      this.min = Math.min(this.max, Math.max(config.min ?? 0, config.pool.options?.min ?? 0));
    } else {
      if (config.url === undefined) throw new TypeError('PostgresDriver needs a url or a pool');
      this.#pgConfig = toPgPoolConfig(checkPostgresUrl(this.#config.url!), this.#config, tls);
      this.max = this.#pgConfig.max;
      this.min = this.#pgConfig.min;
    }
    // Validates the size before any connection exists.
    if (config.preparedStatements) new PreparedStatementCache(this.#preparedCacheSize);
    this.pipelineDepth = config.pipeline ? checkPipeline(config) : undefined;
    this.pipelineFill = config.pipeline ? (config.pipelineFill ?? 'spread') : undefined;
  }

  get #preparedCacheSize(): number {
    return this.#config.preparedStatementCacheSize ?? POSTGRES_DEFAULTS.preparedStatementCacheSize;
  }

  /** Builds the pg pool (or adopts the one handed in), listens to it, and opens `min` connections. */
  async open(hooks: DriverHooks): Promise<void> {
    if (this.#state !== 'new')
      throw new Error(`the PostgreSQL driver was already ${this.#state === 'open' ? 'opened' : 'closed'}`);
    this.#hooks = hooks;
    const pool = this.#config.pool ?? (await this.#createPool());
    this.#pool = pool;
    this.#listen(pool, hooks);
    this.#state = 'open';
    this.#minConnections = new MinConnections(pool, this.min, (error) => hooks.onError(error));
    // A server that is down now is not an error yet: callers get it when they ask for a connection.
    await this.#minConnections.fill();
  }

  async #createPool(): Promise<PgPoolLike> {
    let pg: PgModuleLike;
    try {
      pg = (await import(PG_MODULE)) as PgModuleLike;
    } catch (error) {
      throw new Error('@berth/postgres needs the pg package next to it: npm install pg', { cause: error });
    }
    const Pool = pg.Pool ?? pg.default?.Pool;
    if (!Pool) throw new Error('the installed pg does not export Pool');
    const Client = pg.Client ?? pg.default?.Client;
    if (this.#config.pipeline && !('_pulsePipelinedQueryQueue' in (Client?.prototype ?? {}))) {
      throw new ValidationError(
        'pipeline needs pg 8.23 or later (its client pipeline mode): npm install pg@^8.23',
      );
    }
    return new Pool(this.#pgConfig!);
  }

  #listen(pool: PgPoolLike, hooks: DriverHooks): void {
    const onConnect = (client: PgPoolClientLike) => {
      this.#createdAt.set(client, performance.now());
      hooks.onCreate(this.#wrap(client).id);
    };
    const onRemove = (client: PgPoolClientLike) => this.#destroyed(client, this.#destroyReason(client));
    // pg-pool has already dropped the client; without a listener this error would crash the process.
    const onError = (error: Error, client: PgPoolClientLike) => {
      this.#connections.get(client)?.markLost(error);
      this.#destroyed(client, 'error');
      hooks.onError(error);
    };
    pool.on('connect', onConnect);
    pool.on('remove', onRemove);
    pool.on('error', onError);
    this.#detach = () => {
      pool.off('connect', onConnect);
      pool.off('remove', onRemove);
      pool.off('error', onError);
    };
  }

  /**
   * Reports a client gone, once: as soon as berth or pg-pool drops it, not when pg-pool's `remove` event
   * follows (after the socket has closed), so `destroy` events and `stats()` agree.
   */
  #destroyed(client: PgPoolClientLike, reason: string): void {
    if (this.#reported.has(client)) return;
    this.#reported.add(client);
    const id = this.#connections.get(client)?.id ?? String(client.processID ?? 'unknown');
    this.#hooks?.onDestroy(id, reason);
    this.#minConnections?.schedule();
  }

  #destroyReason(client: PgPoolClientLike): string {
    // pg-pool's `remove` event does not say why.
    if (this.#connections.get(client)?.broken) return 'error';
    if (this.#state === 'closed') return 'closed';
    const lifetimeMs = (this.#pgConfig?.maxLifetimeSeconds ?? 0) * 1_000;
    const age = performance.now() - (this.#createdAt.get(client) ?? performance.now());
    return lifetimeMs > 0 && age >= lifetimeMs ? 'lifetime' : 'idle';
  }

  /** The one wrapper of a pg client, made on first sight; it listens for the client's errors for good. */
  #wrap(client: PgPoolClientLike): PostgresConnection {
    let connection = this.#connections.get(client);
    if (connection) return connection;
    const statements = this.#config.preparedStatements
      ? new PreparedStatementCache(this.#preparedCacheSize)
      : undefined;
    const wrapper = new PostgresConnection(client, statements, {
      pgbouncer: this.#config.pgbouncer === true,
      statementTimeoutMs: this.#config.statementTimeoutMs ?? 0,
      statementBoundMs: statementBoundMs(this.#config.statementTimeoutMs),
      pipelined: this.pipelineDepth !== undefined,
    });
    wrapper.observeQueries(this.#hooks?.queries);
    connection = wrapper;
    // pg emits `error` on a checked-out client when its session ends between statements (the server
    // terminated it, the socket reset); pg-pool listens only while the client is idle. A client held by
    // the min-connections top-up is nobody's operation, so its error is reported like an idle one's.
    client.on('error', (error) => {
      // pg may emit twice for one loss (the server's goodbye, then the closed socket): report the first.
      const first = !wrapper.broken;
      wrapper.markLost(error);
      if (first && this.#minConnections?.holds(client)) this.#hooks?.onError(error);
    });
    this.#connections.set(client, wrapper);
    this.#clients.set(wrapper, client);
    return wrapper;
  }

  /**
   * Checks a client out of pg's pool, connecting if needed. Throws `ConnectionLostError` when PostgreSQL
   * cannot be reached (and `DatabaseError` when it refuses the login or the database).
   */
  acquire(): Promise<DriverConnection> {
    const pool = this.#pool;
    if (this.#state !== 'open' || !pool) {
      return Promise.reject(new ConnectionLostError('the PostgreSQL driver is not open'));
    }
    // pg-pool's callback form: its promise form would cost a promise more per acquire.
    return new Promise((resolve, reject) => {
      pool.connect((error, client) => {
        if (error || !client) {
          reject(connectError(error, this.#tls));
          return;
        }
        this.#checkedOut.add(client);
        resolve(this.#wrap(client));
      });
    });
  }

  /**
   * Gives a client back to pg's pool. It is destroyed instead when asked, when it is broken, or when it is
   * still in a transaction that cannot be rolled back. Never throws.
   */
  release(connection: DriverConnection, destroy: boolean): Promise<void> {
    const client = this.#clients.get(connection);
    if (!client || !this.#checkedOut.has(client)) return RELEASED;
    const wrapper = connection as PostgresConnection;
    // The common case, a clean connection given back, is settled at once: no promise of its own.
    if (!destroy && isClean(wrapper, client)) {
      this.#giveBack(client, wrapper, false);
      return RELEASED;
    }
    return this.#releaseDirty(client, wrapper, destroy);
  }

  /**
   * Whether a clean client given back while another caller waits may go straight to that caller (see
   * `Driver.handOver`): not when pg's pool would retire it on its return, past its lifetime or its uses.
   */
  handOver(connection: DriverConnection): boolean {
    const client = this.#clients.get(connection);
    if (!client || !this.#checkedOut.has(client) || this.#state !== 'open') return false;
    if (!isClean(connection as PostgresConnection, client)) return false;
    const lifetimeMs = (this.#pgConfig?.maxLifetimeSeconds ?? 0) * 1_000;
    const createdAt = this.#createdAt.get(client);
    if (lifetimeMs > 0 && (createdAt === undefined || performance.now() - createdAt >= lifetimeMs))
      return false;
    // pg-pool marks a client past its lifetime (its own timer) and counts uses (`maxUses`, on a pool handed
    // in) only to act on them when the client comes back: such a client goes back through `release`.
    const native = this.#pool as { options?: { maxUses?: number }; _expired?: WeakSet<object> } | undefined;
    if (native?._expired?.has(client)) return false;
    const maxUses = native?.options?.maxUses;
    return maxUses === undefined || maxUses === Number.POSITIVE_INFINITY;
  }

  async #releaseDirty(
    client: PgPoolClientLike,
    wrapper: PostgresConnection,
    destroy: boolean,
  ): Promise<void> {
    let discard = destroy || wrapper.broken || client._queryable === false;
    if (!discard) {
      try {
        await withTimeout(wrapper.rollback(), RELEASE_ROLLBACK_TIMEOUT_MS);
      } catch {
        discard = true;
      }
      discard ||= !isClean(wrapper, client);
    }
    this.#giveBack(client, wrapper, discard);
  }

  #giveBack(client: PgPoolClientLike, wrapper: PostgresConnection, discard: boolean): void {
    this.#checkedOut.delete(client);
    try {
      if (discard) {
        this.#endPipelined(client);
        client.release(true);
        this.#destroyed(client, wrapper.broken ? 'error' : 'destroyed');
      } else {
        client.release();
      }
    } catch (error) {
      // pg throws only on a double release, which the checkout set already prevents.
      this.#hooks?.onError(asError(error));
    }
  }

  /**
   * Ends the socket of a client being discarded, when it pipelines: pg's `end()` would otherwise wait for
   * the queries still in flight on it to be answered (an abandoned validation ping on a silent peer never
   * is), where a client that does not pipeline ends its socket at once.
   */
  #endPipelined(client: PgPoolClientLike): void {
    if (this.pipelineDepth === undefined) return;
    (client.connection as { stream?: { destroy?(): void } } | undefined)?.stream?.destroy?.();
  }

  /** pg's pool's counts: connections open (or opening), and of those, idle. */
  nativeStats(): {
    /** Clients pg's pool holds, open or opening (`totalCount`). */
    total: number;
    /** Of those, the ones idle in it (`idleCount`). */
    idle: number;
  } {
    const pool = this.#pool;
    if (this.#state !== 'open' || !pool) return { total: 0, idle: 0 };
    return { total: pool.totalCount, idle: pool.idleCount };
  }

  /**
   * Ends pg's pool, unless it was handed in; then only stops listening to it. Clients still checked out
   * (berth's pool gave up waiting for them) are destroyed, since pg's `end()` would wait for them forever.
   * Idempotent.
   */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasOpen = this.#state === 'open';
    this.#state = 'closed';
    this.#minConnections?.stop();
    const pool = this.#pool;
    if (!wasOpen || !pool) return;
    if (this.#config.pool) {
      this.#detach?.();
      return;
    }
    for (const client of this.#checkedOut) {
      this.#checkedOut.delete(client);
      try {
        this.#endPipelined(client);
        client.release(true);
      } catch {
        // Already released by pg itself; nothing is left to end.
      }
      this.#destroyed(client, 'closed');
    }
    try {
      await pool.end();
    } finally {
      this.#detach?.();
    }
  }
}
