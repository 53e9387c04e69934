import {
  type Capabilities,
  type CausalReadSupport,
  ConnectionLostError,
  type Driver,
  type DriverConnection,
  type DriverHooks,
  type PoolStats,
  ValidationError,
} from '@berth/core';
import { type Db, type Document, MongoClient, type MongoClientOptions, MongoParseError } from 'mongodb';
import { mongoCausalReads } from './causal/mongo-causal-reads.js';
import { detectCapabilities } from './detect-capabilities.js';
import { MongoConnection, type MongoConnectionSettings } from './mongo-connection.js';
import {
  type MongoDriverOptions,
  MONGO_DEFAULTS,
  statementBoundMs,
  statementTimeout,
  toMongoClientOptions,
} from './mongo-driver-options.js';
import { parseMongoUrl } from './mongo-url.js';
import { mapMongoError } from './map-mongo-error.js';
import { type PhysicalConnectionStats, PhysicalConnections } from './physical-connections.js';

/** Connection ids are unique in the process, so logs and events of several databases never collide. */
let connectionCounter = 0;

/** What a driver reports before `open()` has read the server's `hello`: nothing it cannot promise. */
const UNKNOWN_CAPABILITIES: Capabilities = Object.freeze({
  multipleConnections: true,
  transactions: false,
  savepoints: false,
  returning: false,
});

/**
 * The berth driver for MongoDB: one `MongoClient` per database handle, whose pool is the pool.
 *
 * A berth connection is logical (see `MongoConnection`): a session, created when the pool needs one
 * more and kept for reuse until it breaks or the driver closes. `nativeStats()` and the `create` /
 * `destroy` hooks therefore count these logical connections, the unit berth's pool hands out, bounds
 * by `max` and validates; the driver's physical sockets, counted from its CMAP events, are reported by
 * `physicalStats()` and are bounded by the same `max` (`maxPoolSize`).
 *
 * `open()` connects and reads `hello` to learn the capabilities: transactions on a replica set or
 * mongos, none on a standalone server.
 */
export class MongoDriver implements Driver {
  /** The backend's name, as `db.backend` reports it. */
  readonly backend = 'mongodb';
  readonly max: number;
  /** The database every connection works in. */
  readonly database: string;
  readonly #client: MongoClient;
  readonly #db: Db;
  readonly #clientOptions: MongoClientOptions;
  readonly #statementTimeoutMs: number | undefined;
  readonly #physical: PhysicalConnections;
  readonly #all = new Set<MongoConnection>();
  readonly #idle: MongoConnection[] = [];
  #capabilities: Capabilities = UNKNOWN_CAPABILITIES;
  #causalReads: CausalReadSupport | undefined;
  #hooks: DriverHooks | undefined;
  #state: 'new' | 'open' | 'closed' = 'new';
  #opening = 0;

  constructor(url: string, options: MongoDriverOptions = {}) {
    const parsed = parseMongoUrl(url);
    const database = options.database ?? parsed.database;
    if (!database) {
      throw new ValidationError(
        'name the MongoDB database in the URL (mongodb://host/dbname) or with the `database` option',
      );
    }
    this.database = database;
    this.#clientOptions = toMongoClientOptions(options);
    this.#statementTimeoutMs = statementTimeout(options);
    this.max = this.#clientOptions.maxPoolSize ?? MONGO_DEFAULTS.max;
    try {
      this.#client = new MongoClient(url, this.#clientOptions);
    } catch (error) {
      if (error instanceof MongoParseError)
        throw new ValidationError(`invalid MongoDB URL: ${error.message}`);
      throw error;
    }
    this.#db = this.#client.db(database);
    this.#physical = new PhysicalConnections(this.#client, (address) => {
      this.#hooks?.onError(
        new ConnectionLostError(
          `the MongoDB driver cleared its connection pool for ${address}: sockets were lost`,
        ),
      );
    });
  }

  /** Known after `open()`; before it, no transactions are promised. */
  get capabilities(): Capabilities {
    return this.#capabilities;
  }

  /**
   * Causal sessions and read routing through the driver's sessions (see `mongoCausalReads`), known after
   * `open()`: on a replica set member or a mongos, whose replies carry `operationTime`; none on a
   * standalone server, which has no secondaries and reports no times.
   */
  get causalReads(): CausalReadSupport | undefined {
    return this.#causalReads;
  }

  /** The underlying client, for driver-specific work outside berth (change streams, aggregation...). */
  get client(): MongoClient {
    return this.#client;
  }

  /** Connects, and reads the capabilities from the first connection's `hello`. */
  async open(hooks: DriverHooks): Promise<void> {
    if (this.#state !== 'new')
      throw new Error(`the MongoDB driver was already ${this.#state === 'open' ? 'opened' : 'closed'}`);
    this.#hooks = hooks;
    try {
      await this.#client.connect();
      const { connection, hello } = await this.#create();
      this.#capabilities = detectCapabilities(hello);
      if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') this.#causalReads = mongoCausalReads;
      this.#idle.push(connection);
      this.#state = 'open';
    } catch (error) {
      this.#state = 'closed';
      await this.#client.close(true).catch(() => undefined);
      throw mapMongoError(error);
    }
  }

  #settings(): MongoConnectionSettings {
    const driver = this;
    return {
      get transactions() {
        return driver.#capabilities.transactions;
      },
      statementTimeoutMs: this.#statementTimeoutMs,
      statementBoundMs: statementBoundMs(this.#statementTimeoutMs),
      pool: () => ({
        stats: this.#physicalPoolStats(),
        waitQueueTimeoutMs: this.#clientOptions.waitQueueTimeoutMS ?? MONGO_DEFAULTS.acquireTimeoutMs,
      }),
    };
  }

  #physicalPoolStats(): PoolStats {
    const physical = this.#physical.stats();
    return {
      max: this.max,
      total: physical.total,
      idle: physical.idle,
      inUse: physical.checkedOut,
      waiting: 0,
    };
  }

  /** Opens a logical connection: a new session, proven with one round trip that makes it known to the server. */
  async #create(): Promise<{ connection: MongoConnection; hello: Document }> {
    const id = `mongodb-${++connectionCounter}`;
    // Causally consistent, so the driver keeps each reply's operationTime and sends `afterClusterTime`; which
    // position a use starts from is berth's to set (`MongoConnection.beginCausalUse`), as sessions are reused.
    const session = this.#client.startSession({ causalConsistency: true });
    const connection = new MongoConnection(id, this.#db, session, this.#settings());
    connection.observeQueries(this.#hooks?.queries);
    this.#opening++;
    try {
      const hello = await connection.hello();
      this.#all.add(connection);
      this.#hooks?.onCreate(id);
      return { connection, hello };
    } catch (error) {
      await connection.end();
      throw error;
    } finally {
      this.#opening--;
    }
  }

  /**
   * An idle logical connection (the most recently used), or a new one. Throws `ConnectionLostError`
   * when the server cannot be reached within the connect timeout.
   */
  async acquire(): Promise<DriverConnection> {
    if (this.#state !== 'open') throw new ConnectionLostError('the MongoDB driver is not open');
    const idle = this.#idle.pop();
    if (!idle) return (await this.#create()).connection;
    // A session outlives the driver's sockets. With none established (all closed by a network fault, or
    // only some still in their handshake, which a dark network never completes), the caller's command
    // would wait for one under its statement bound, past the acquire deadline the pool races this call
    // with; and were the driver to clear its pool meanwhile (its monitor timed out), it would retry that
    // command after selecting the server anew, waiting for the server to come back. Prove a socket here
    // instead, so a server that does not answer is a PoolTimeoutError at the acquire deadline.
    const sockets = this.#physical.stats();
    if (sockets.idle + sockets.checkedOut === 0) {
      try {
        await idle.hello();
      } catch (error) {
        await this.release(idle, true);
        throw error;
      }
    }
    return idle;
  }

  /** Keeps the connection for reuse, or ends its session when destroyed, broken or closing. Never throws. */
  async release(connection: DriverConnection, destroy: boolean): Promise<void> {
    if (!(connection instanceof MongoConnection) || !this.#all.has(connection)) return;
    if (!destroy && !connection.broken && !connection.inTransaction && this.#state === 'open') {
      this.#idle.push(connection);
      return;
    }
    this.#all.delete(connection);
    await connection.end();
    this.#hooks?.onDestroy(connection.id, connection.broken ? 'error' : 'discarded');
  }

  /** Every logical connection open now, idle or in use (for diagnostics and tests). */
  connections(): readonly MongoConnection[] {
    return [...this.#all];
  }

  /** Logical connections: open (or opening), and of those, idle. */
  nativeStats(): {
    /** Logical connections open or being opened. */
    total: number;
    /** Of those, the ones idle (not lent out by the pool). */
    idle: number;
  } {
    return { total: this.#all.size + this.#opening, idle: this.#idle.length };
  }

  /** The driver's physical sockets to the server, from its CMAP events (monitoring sockets excluded). */
  physicalStats(): PhysicalConnectionStats {
    return this.#physical.stats();
  }

  /** Ends every session and closes the client and its sockets. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    const connections = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(connections.map((connection) => connection.end()));
    await this.#client.close().catch(() => undefined);
    for (const connection of connections) this.#hooks?.onDestroy(connection.id, 'closed');
  }
}
