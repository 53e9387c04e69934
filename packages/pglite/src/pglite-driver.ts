import { resolve } from 'node:path';
import {
  checkDriverDurations,
  type Capabilities,
  ConnectionLostError,
  type Driver,
  type DriverConnection,
  type DriverHooks,
  type DriverOptions,
} from '@berth/core';
import { ConnectionMutex } from './connection-mutex.js';
import { PGliteConnection } from './pglite-connection.js';
import type { PGliteLike } from './pglite-like.js';

/** PGlite is one connection; transactions and savepoints are PostgreSQL's own. */
export const PGLITE_CAPABILITIES: Capabilities = Object.freeze({
  multipleConnections: false,
  transactions: true,
  savepoints: true,
  returning: true,
  lockingReads: true,
  foreignKeys: true,
  relationSubqueries: true,
  generatedIds: true,
});

const CONNECTION_ID = 'pglite-1';

/**
 * PostgreSQL's buffer cache for one embedded connection. PGlite keeps PostgreSQL's default of 128 MB, which
 * every boot sets up before the first query: about a third of the CPU time of reopening a database, and
 * 130 MB of memory. 16 MB (2,048 pages) holds the working set of an embedded database; the operating
 * system's cache is behind it for a data folder, and an in-memory database is in memory anyway.
 */
const SHARED_BUFFERS = '16MB';

/** How `PGliteDriver` finds its database, plus the options every adapter takes. */
export interface PGliteDriverConfig extends DriverOptions {
  /** A data folder (created if missing); absent for an in-memory database. Relative to the working directory. */
  dataDir?: string;
  /**
   * An existing PGlite instance to use instead of creating one. The caller keeps ownership: `close()` does
   * not close it, and nothing else should query it while the driver is open.
   */
  pglite?: PGliteLike;
}

/**
 * The driver for PGlite, PostgreSQL compiled to WebAssembly and run in this process: one instance is one
 * connection, so `max` is 1 and the core's pool queues every caller in front of it.
 *
 * Of `DriverOptions`, only `statementTimeoutMs` applies, and it is set as `statement_timeout` although
 * PGlite 0.5 does not enforce it: a query runs synchronously inside WebAssembly and the timer never fires
 * (pinned by a test). `max`, `min`, the idle and lifetime limits and the connect timeout have no meaning
 * for an embedded database and are ignored.
 */
export class PGliteDriver implements Driver {
  /** The backend's name, as `db.backend` reports it. */
  readonly backend = 'pglite';
  /** One connection, with PostgreSQL's transactions, savepoints and foreign keys (`PGLITE_CAPABILITIES`). */
  readonly capabilities = PGLITE_CAPABILITIES;
  readonly max = 1;
  readonly #config: PGliteDriverConfig;
  readonly #mutex = new ConnectionMutex();
  #state: 'new' | 'opening' | 'open' | 'closed' = 'new';
  #db: PGliteLike | undefined;
  #connection: PGliteConnection | undefined;
  #hooks: DriverHooks | undefined;
  #checkedOut = false;

  /**
   * Checks the durations at once (the shared ones, though only `statementTimeoutMs` applies here):
   * `ValidationError` naming the option for one that is not finite, negative or past 2^31 − 1 ms.
   */
  constructor(config: PGliteDriverConfig = {}) {
    checkDriverDurations(config);
    this.#config = { ...config, dataDir: config.dataDir === undefined ? undefined : resolve(config.dataDir) };
  }

  /** The data folder, or `undefined` in memory (or for a handed-in instance). */
  get dataDir(): string | undefined {
    return this.#config.pglite ? undefined : this.#config.dataDir;
  }

  /** Creates (or adopts) the PGlite instance and waits until it is ready. */
  async open(hooks: DriverHooks): Promise<void> {
    if (this.#state !== 'new')
      throw new Error(`the PGlite driver was already ${this.#state === 'closed' ? 'closed' : 'opened'}`);
    this.#state = 'opening';
    this.#hooks = hooks;
    let db: PGliteLike;
    try {
      db = this.#config.pglite ?? (await this.#create());
      if (db.closed) throw new Error('the PGlite instance is already closed');
      await db.waitReady;
      if (this.#config.statementTimeoutMs !== undefined) {
        const ms = Math.trunc(this.#config.statementTimeoutMs);
        if (!(ms >= 0)) throw new RangeError('statementTimeoutMs must be a non-negative number');
        await db.query(`SET statement_timeout = ${ms}`);
      }
    } catch (error) {
      this.#state = 'closed';
      const where = this.#config.dataDir ? ` in ${this.#config.dataDir}` : '';
      throw new ConnectionLostError(
        `could not open the PGlite database${where}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    this.#db = db;
    this.#connection = new PGliteConnection(db, CONNECTION_ID);
    this.#connection.observeQueries(hooks.queries);
    this.#state = 'open';
    hooks.onCreate(CONNECTION_ID);
  }

  async #create(): Promise<PGliteLike> {
    // Loaded on open, not on import: the WebAssembly module is large and the package is a peer dependency.
    const { PGlite } = await import('@electric-sql/pglite');
    const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
    return this.#config.dataDir === undefined
      ? new PGlite({ startParams })
      : new PGlite(this.#config.dataDir, { startParams });
  }

  /**
   * Waits until the connection is free, then checks it out. Throws `ConnectionLostError` when the driver
   * is not open or the instance was closed or failed.
   */
  async acquire(): Promise<DriverConnection> {
    this.#assertUsable();
    await this.#mutex.lock();
    try {
      this.#assertUsable();
    } catch (error) {
      this.#mutex.unlock();
      throw error;
    }
    this.#checkedOut = true;
    return this.#connection!;
  }

  #assertUsable(): void {
    if (this.#state !== 'open' || !this.#connection)
      throw new ConnectionLostError('the PGlite database is not open');
    if (this.#connection.broken) {
      throw new ConnectionLostError('the PGlite database was closed or failed; open it again');
    }
  }

  /**
   * Checks the connection back in. With `destroy` there is no other connection to make, so any open
   * transaction is rolled back and the instance kept. Never throws.
   */
  async release(connection: DriverConnection, destroy: boolean): Promise<void> {
    if (connection !== this.#connection || !this.#checkedOut) return;
    if (destroy) await this.#connection.reset();
    this.#checkedOut = false;
    this.#mutex.unlock();
  }

  nativeStats(): {
    /** Connections held: 1 while the database is open, else 0. */
    total: number;
    /** Of those, the ones not lent out: 0 while the one connection is in use. */
    idle: number;
  } {
    if (this.#state !== 'open') return { total: 0, idle: 0 };
    return { total: 1, idle: this.#checkedOut ? 0 : 1 };
  }

  /** Closes the instance (unless it was handed in) and fails anyone still waiting for the connection. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasOpen = this.#state === 'open';
    this.#state = 'closed';
    this.#checkedOut = false;
    this.#mutex.abandon();
    const db = this.#db;
    this.#db = undefined;
    try {
      if (db && !this.#config.pglite && !db.closed) await db.close();
    } finally {
      if (wasOpen) this.#hooks?.onDestroy(CONNECTION_ID, 'closed');
    }
  }
}
