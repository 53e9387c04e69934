import { AsyncLocalStorage } from 'node:async_hooks';
import type { BackendName } from './driver/capabilities.js';
import type { Driver } from './driver/driver.js';
import type { Entity } from './entity/define-entity.js';
import type { QueryListener } from './events/query-event.js';
import { QueryEventHub, type QueryEventOptions } from './events/query-event-hub.js';
import { ReplicaQueryObserver } from './events/replica-query-observer.js';
import { type QueryLogger, queryLogListener } from './events/query-logger.js';
import type { PoolOptions } from './pool/pool-options.js';
import { Pool } from './pool/pool.js';
import { UnsupportedFeatureError } from './errors/unsupported-feature-error.js';
import { checkDuration } from './options/duration.js';
import {
  CausalSession,
  causalSessions,
  decodeSessionToken,
  encodeSessionToken,
} from './replica/causal-session.js';
import { DriverRoutedScope } from './replica/driver-routed-scope.js';
import type { PositionOrder } from './driver/replication-support.js';
import { ReplicaMember } from './replica/replica-member.js';
import { type ReplicaStats, RoutingScope } from './replica/routing-scope.js';
import { warnOnDuplicateCore } from './runtime/core-copies.js';
import { Session } from './session.js';
import type { MigrationDriver, MigrationOptions } from './migration/migration-driver.js';
import { historyTableOf } from './migration/history-table.js';
import { refuseForeignKeysToOtherIds, refuseGeneratedIds } from './id/refuse-generated-ids.js';
import { ambientScope } from './transaction/ambient-scope.js';
import {
  type FlushWrapper,
  type TransactionWrapper,
  TransactionWrappers,
} from './transaction/transaction-wrappers.js';
import { PooledScope } from './transaction/pooled-scope.js';
import type { Scope } from './transaction/scope.js';

/** What a `Database` is opened with: its entities, the pool contract's options and query events. */
export interface DatabaseOptions {
  /** The entities `ensureSchema()` creates. Repositories work for any entity. */
  entities?: readonly Entity[];
  /** The pool contract's options (acquire deadline, waiters, validation, leak detection, drain). */
  pool?: PoolOptions;
  /** Options of the query events (`db.on('query')`): whether they carry the bound values. */
  queryEvents?: QueryEventOptions | undefined;
  /**
   * Logs every statement at debug level through this pino-compatible logger (`logger.debug(obj, msg)`).
   * Values are included only with `queryEvents: { includeValues: true }`.
   */
  logQueries?: QueryLogger | undefined;
  /**
   * Read replicas of the primary, one driver each (`connect(url, { replicas })` makes them from URLs). Each
   * gets its own pool with the same pool options. Reads outside transactions go to a replica that has
   * replayed the reader's position (see `withSession`), the others to the primary. Needs
   * `driver.replication` (`UnsupportedFeatureError` otherwise).
   */
  replicas?:
    | readonly {
        /** The replica's driver, of the same backend as the primary's. */
        readonly driver: Driver;
        /** How the replica is named in stats, events and errors: its URL without credentials. */
        readonly name: string;
      }[]
    | undefined;
  /**
   * The lag bound: a replica more than this many milliseconds behind the primary leaves the rotation (even
   * for readers that need no position: how stale a read may be at most), until a later measure finds it
   * within. Measured by the first read given to a replica each `REPLICA_LAG_CHECK_INTERVAL_MS`
   * (PostgreSQL: the age of the last replayed transaction while WAL is still to replay; MariaDB:
   * `Seconds_Behind_Master`, whole seconds, so bounds under 1 s act as 0). Absent: no bound, reads are
   * routed by position only.
   */
  maxReplicaLagMs?: number | undefined;
}

/**
 * A database handle: a pool plus the session API. Share one per process; make a unit of work per request.
 */
export class Database extends Session {
  /** The backend behind this database, from its driver (`'postgres'`, `'mysql'`, `'mongodb'`, `'pglite'`). */
  readonly backend: BackendName;
  /** The pool: `stats()`, events with `on`/`off`. */
  readonly pool: Pool;
  /**
   * The entities given at open (`DatabaseOptions.entities`): what `ensureSchema()` without arguments creates and
   * checks.
   */
  readonly entities: readonly Entity[];
  readonly #root: PooledScope;
  readonly #storage: AsyncLocalStorage<Scope>;
  readonly #routing: RoutingScope | undefined;
  /** Where causal sessions are kept: the replica routing, or the driver's own (`Driver.causalReads`). */
  readonly #causal:
    | { readonly order: PositionOrder; readonly scope: RoutingScope | DriverRoutedScope }
    | undefined;
  #queries: QueryEventHub | undefined;
  readonly #driver: Driver;

  private constructor(
    driver: Driver,
    pool: Pool,
    storage: AsyncLocalStorage<Scope>,
    entities: readonly Entity[],
    replicas: readonly { name: string; pool: Pool }[],
    maxReplicaLagMs: number | undefined,
  ) {
    const root = new PooledScope(pool, driver.capabilities, storage);
    const routing =
      replicas.length > 0 && driver.replication
        ? new RoutingScope(
            root,
            replicas.map(
              (r) => new ReplicaMember(r.name, r.pool, driver.capabilities, storage, driver.replication!),
            ),
            driver.replication,
            new CausalSession(driver.replication),
            maxReplicaLagMs,
          )
        : undefined;
    const causalReads = routing ? undefined : driver.causalReads;
    const driverRouted = causalReads
      ? new DriverRoutedScope(root, causalReads, new CausalSession(causalReads))
      : undefined;
    const top: Scope = routing ?? driverRouted ?? root;
    // Inside `transaction()` the ambient scope is the transaction's; elsewhere (or once it ended), the pool.
    super(driver.capabilities, () => ambientScope(storage) ?? top, new TransactionWrappers(driver.backend));
    this.backend = driver.backend;
    this.#driver = driver;
    this.pool = pool;
    this.entities = entities;
    this.#root = root;
    this.#storage = storage;
    this.#routing = routing;
    this.#causal = routing
      ? { order: routing.replication, scope: routing }
      : driverRouted
        ? { order: driverRouted.causal, scope: driverRouted }
        : undefined;
  }

  /** Opens `driver` behind berth's pool. Most code calls `connect(url)` instead. */
  static async open(driver: Driver, options: DatabaseOptions = {}): Promise<Database> {
    warnOnDuplicateCore();
    const queries = new QueryEventHub(driver.backend, options.queryEvents);
    if (options.logQueries) queries.on(queryLogListener(options.logQueries));
    const replicaDrivers = options.replicas ?? [];
    if (replicaDrivers.length > 0 && !driver.replication) {
      throw new UnsupportedFeatureError(
        'read-replicas',
        `read replicas are not supported on ${driver.backend}`,
      );
    }
    const maxReplicaLagMs = checkDuration('maxReplicaLagMs', options.maxReplicaLagMs, { min: 1 });
    if (maxReplicaLagMs !== undefined && replicaDrivers.length > 0 && !driver.replication?.replicaLagMs) {
      throw new UnsupportedFeatureError(
        'read-replicas',
        `a replica lag bound is not supported on ${driver.backend}: it cannot measure a replica's lag`,
      );
    }
    const pool = new Pool(driver, options.pool, queries);
    await pool.open();
    const replicas: { name: string; pool: Pool }[] = [];
    try {
      for (const replica of replicaDrivers) {
        const observer = new ReplicaQueryObserver(queries, replica.name);
        const replicaPool = new Pool(replica.driver, options.pool, observer);
        await replicaPool.open();
        replicas.push({ name: replica.name, pool: replicaPool });
      }
    } catch (error) {
      await Promise.all([pool, ...replicas.map((r) => r.pool)].map((p) => p.close(0).catch(() => undefined)));
      throw error;
    }
    const db = new Database(
      driver,
      pool,
      new AsyncLocalStorage<Scope>(),
      [...(options.entities ?? [])],
      replicas,
      maxReplicaLagMs,
    );
    db.#queries = queries;
    return db;
  }

  /**
   * Runs `fn` in a causal session of its own (a request, say) and returns what it returns: reads inside see
   * every write made inside, and every write `token` names (a token from `sessionToken()`, maybe made by
   * another process), even when served by a replica (or, on a MongoDB replica set, a secondary: reads
   * then carry `readConcern.afterClusterTime`). Without replicas it just runs `fn`. A malformed token, or
   * one made on another kind of backend, throws `ValidationError` before `fn` runs.
   */
  withSession<T>(token: string | undefined, fn: () => T): T {
    const causal = this.#causal;
    if (!causal) return fn();
    const position = token === undefined ? undefined : decodeSessionToken(this.backend, causal.order, token);
    return causalSessions.run(new CausalSession(causal.order, position), fn);
  }

  /**
   * The current session's token: the primary's position after the last write this session made or
   * carried in, for a client to send back (`withSession`) so that any process reads its writes.
   * `undefined` without replicas (or a MongoDB replica set) or before any write.
   */
  sessionToken(): string | undefined {
    const causal = this.#causal;
    return causal ? encodeSessionToken(this.backend, causal.scope.session) : undefined;
  }

  /** Routing figures and every pool's stats, when read replicas are configured; else `undefined`. */
  replicaStats(): ReplicaStats | undefined {
    return this.#routing?.stats();
  }

  /**
   * Listens to every statement berth sends on this database's connections: entity commands, raw SQL,
   * BEGIN/COMMIT/ROLLBACK and savepoints, `ensureSchema` DDL, pings (see `QueryEvent`). Listeners run
   * synchronously after each statement; keep them cheap. With no listener, nothing is measured.
   */
  on(_event: 'query', listener: QueryListener): this {
    this.#queries?.on(listener);
    return this;
  }

  /**
   * Runs `wrapper` around every transaction this database starts (each attempt of a `retry` one, and each
   * nested one), from before BEGIN until after COMMIT or ROLLBACK, with the callback and its statements in
   * its async context: for tracing (`@berth/core/otel` makes a span of each). Returns its remover.
   */
  wrapTransactions(wrapper: TransactionWrapper): () => void {
    return this.wrappers!.add(wrapper);
  }

  /**
   * Runs `wrapper` around every unit-of-work flush with something to write (from before its transaction
   * begins until after it ends), with the flush's statements in its async context: for tracing
   * (`@berth/core/otel` makes a span `flush` of each, the parent of its statements). Returns its remover.
   */
  wrapFlushes(wrapper: FlushWrapper): () => void {
    return this.wrappers!.addFlush(wrapper);
  }

  /**
   * Each read replica's name (its URL without credentials) and pool, when read replicas are configured
   * (empty otherwise): for per-server pool metrics (`@berth/core/otel`) and diagnostics.
   */
  replicaPools(): readonly {
    /** The replica's URL without credentials (the name given at open). */
    readonly name: string;
    /** The replica's own pool, with the primary's pool options. */
    readonly pool: Pool;
  }[] {
    return (this.#routing?.replicas ?? []).map((r) => ({ name: r.name, pool: r.pool }));
  }

  /**
   * OpenTelemetry's `db.system.name` of the server behind, where the driver learnt it from the server
   * (`Driver.serverSystem`): `mariadb` or `mysql` behind the MySQL adapter once it has opened a connection.
   * `undefined` before that and for drivers whose backend alone says it; `@berth/core/otel` then names the
   * backend.
   */
  serverSystem(): string | undefined {
    return this.#driver.serverSystem?.();
  }

  /** Removes a listener added with `on`. */
  off(_event: 'query', listener: QueryListener): this {
    this.#queries?.off(listener);
    return this;
  }

  /**
   * Creates the tables or collections of `entities` (default: those given at connect) and their indexes
   * where missing. Idempotent, and safe when several processes run it at once.
   */
  async ensureSchema(entities: readonly Entity[] = this.entities): Promise<void> {
    for (const entity of entities) {
      refuseGeneratedIds(entity, this.capabilities);
      refuseForeignKeysToOtherIds(entity);
    }
    await this.scope().run((c) => c.ensureSchema(entities));
  }

  /**
   * Runs `fn` with the adapter's migration support on one connection, outside any transaction, held until
   * `fn` settles (the migration lock is a session lock). For `migrateUp`, `planMigration` and the CLI.
   * Throws `UnsupportedFeatureError('migrations')` when the adapter has none, `ValidationError` for an invalid
   * `historyTable`.
   */
  async withMigrations<T>(
    fn: (driver: MigrationDriver) => Promise<T>,
    options: MigrationOptions = {},
  ): Promise<T> {
    const historyTable = historyTableOf(options);
    // On the routed scope where there is one, never straight on the primary's pool: a migration writes,
    // so the sessions must move to the primary's position after it, or a read that follows could reach a
    // replica that has not replayed the new schema yet.
    return (this.#causal?.scope ?? this.#root).run((c) => {
      if (!c.migrations)
        throw new UnsupportedFeatureError(
          'migrations',
          `the ${this.backend} adapter has no migration support`,
        );
      return fn(c.migrations({ historyTable }));
    });
  }

  /** One round trip to the database; throws when it does not answer. For health checks. */
  async ping(): Promise<void> {
    await this.scope().run((c) => c.ping());
  }

  /** True while code is running inside one of this database's transactions. */
  get inTransaction(): boolean {
    return ambientScope(this.#storage) !== undefined;
  }

  /** Drains and closes the pool, and the replicas' pools (see `Pool.close`). */
  async close(timeoutMs?: number): Promise<void> {
    const replicas = this.#routing?.replicas ?? [];
    await Promise.all([this.#root.pool, ...replicas.map((r) => r.pool)].map((p) => p.close(timeoutMs)));
  }
}
