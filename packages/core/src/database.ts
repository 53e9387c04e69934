import { AsyncLocalStorage } from 'node:async_hooks';
import type { BackendName } from './driver/capabilities.js';
import type { Driver } from './driver/driver.js';
import type { Entity } from './entity/define-entity.js';
import type { QueryListener } from './events/query-event.js';
import { QueryEventHub, type QueryEventOptions } from './events/query-event-hub.js';
import { type QueryLogger, queryLogListener } from './events/query-logger.js';
import type { PoolOptions } from './pool/pool-options.js';
import { Pool } from './pool/pool.js';
import { warnOnDuplicateCore } from './runtime/core-copies.js';
import { Session } from './session.js';
import { UnsupportedFeatureError } from './errors/unsupported-feature-error.js';
import type { MigrationDriver, MigrationOptions } from './migration/migration-driver.js';
import { historyTableOf } from './migration/history-table.js';
import { ambientScope } from './transaction/ambient-scope.js';
import { PooledScope } from './transaction/pooled-scope.js';
import type { Scope } from './transaction/scope.js';

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
}

/**
 * A database handle: a pool plus the session API. Share one per process; make a unit of work per request.
 */
export class Database extends Session {
  readonly backend: BackendName;
  /** The pool: `stats()`, events with `on`/`off`. */
  readonly pool: Pool;
  readonly entities: readonly Entity[];
  readonly #root: PooledScope;
  readonly #storage: AsyncLocalStorage<Scope>;
  #queries: QueryEventHub | undefined;

  private constructor(
    driver: Driver,
    pool: Pool,
    storage: AsyncLocalStorage<Scope>,
    entities: readonly Entity[],
  ) {
    const root = new PooledScope(pool, driver.capabilities, storage);
    // Inside `transaction()` the ambient scope is the transaction's; elsewhere (or once it ended), the pool.
    super(driver.capabilities, () => ambientScope(storage) ?? root);
    this.backend = driver.backend;
    this.pool = pool;
    this.entities = entities;
    this.#root = root;
    this.#storage = storage;
  }

  /** Opens `driver` behind berth's pool. Most code calls `connect(url)` instead. */
  static async open(driver: Driver, options: DatabaseOptions = {}): Promise<Database> {
    warnOnDuplicateCore();
    const queries = new QueryEventHub(driver.backend, options.queryEvents);
    if (options.logQueries) queries.on(queryLogListener(options.logQueries));
    const pool = new Pool(driver, options.pool, queries);
    await pool.open();
    const db = new Database(driver, pool, new AsyncLocalStorage<Scope>(), [...(options.entities ?? [])]);
    db.#queries = queries;
    return db;
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
    return this.#root.run((c) => {
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

  /** Drains and closes the pool (see `Pool.close`). */
  close(timeoutMs?: number): Promise<void> {
    return this.#root.pool.close(timeoutMs);
  }
}
