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
  withTimeout,
} from '@berth/core';
import { mapMysqlError, mapTlsError, type ResolvedTls, resolveTls } from '@berth/sql';
import type {
  CreateMysql2Pool,
  Mysql2CoreConnection,
  Mysql2Pool,
  Mysql2PoolConnection,
} from './mysql2-like.js';
import type { CommitMarkerState } from './commit-marker.js';
import { pickIdleToClose } from './idle-sweep.js';
import { MysqlConnection } from './mysql-connection.js';
import {
  MYSQL_DEFAULTS,
  type MysqlDriverConfig,
  mysql2PoolOptions,
  statementBoundMs,
} from './mysql-driver-config.js';
import { type MysqlServer, describeServer } from './mysql-server.js';
import { MARIADB_REPLICATION } from './replication/mariadb-replication.js';
import { sessionStatement } from './mysql-session.js';

/** What `release` answers when it is done at once (one settled promise, shared). */
const RELEASED: Promise<void> = Promise.resolve();

/**
 * MySQL 8 and MariaDB alike: transactions and savepoints are InnoDB's. Neither has `UPDATE ... RETURNING`
 * (MariaDB has `INSERT`/`DELETE ... RETURNING`), but a changed row comes back in one round trip all the
 * same: `modifyOne` sends BEGIN, the UPDATE, a read of the row and COMMIT in one packet (see
 * `one-trip-modify.ts`), so `returning` is true and an update by id is one conditional write.
 */
export const MYSQL_CAPABILITIES: Capabilities = Object.freeze({
  multipleConnections: true,
  transactions: true,
  savepoints: true,
  returning: true,
  lockingReads: true,
  foreignKeys: true,
  relationSubqueries: true,
  generatedIds: true,
});

/** How long `close()` waits for mysql2 to say goodbye (COM_QUIT) before destroying sockets. */
const CLOSE_TIMEOUT_MS = 2_000;
/** The longest pause between attempts to open `min` connections while the server refuses them. */
const MAX_WARM_BACKOFF_MS = 30_000;

/** What the driver knows about one mysql2 connection, for as long as it lives. */
interface Tracked {
  readonly core: Mysql2CoreConnection;
  /** The server thread id, as a string: the `DriverConnection.id`. */
  readonly id: string;
  readonly createdAt: number;
  /** Made on first checkout, once the session is set up; one per mysql2 connection. */
  wrapper: MysqlConnection | undefined;
  checkedOut: boolean;
  discarded: boolean;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A failed connect as berth's error: TLS failures are `TlsError`. MariaDB answers a plain connection
 * that it accepts only over TLS (`require_secure_transport`, `REQUIRE SSL`) with the same "access denied"
 * (1045) as a wrong password, so that error says the connection was plain; MySQL 8's own error for it
 * is a `TlsError`.
 */
function connectError(error: unknown, tls: boolean): Error {
  const tlsFailure = mapTlsError(error, tls);
  if (tlsFailure) return tlsFailure;
  const mapped = mapMysqlError(error, []);
  if (!tls && mapped instanceof DatabaseError && mapped.driverCode === 1045) {
    return new DatabaseError(
      `${mapped.message} (over plain TCP: if the server accepts only TLS connections, set ssl-mode in the URL or the tls option)`,
      mapped.driverCode,
      { cause: error },
    );
  }
  return mapped;
}

/**
 * The driver for MySQL 8 and MariaDB 10.11+ over mysql2's promise pool. berth's pool sits in front and
 * enforces the acquire deadline, FIFO waiting and validation; this driver makes mysql2's pool safe to
 * sit behind:
 *
 * - **Session**: the first connection detects the flavour (`SELECT VERSION()`); each new connection is
 *   set up with `sessionStatement` (UTC, strict `sql_mode`, the flavour's statement timeout) before it
 *   is handed out.
 * - **Dead connections**: every mysql2 connection gets `error` and `end` listeners for its whole life,
 *   idle or not, so a killed, reset or timed-out socket never crashes the process; the connection is
 *   destroyed and leaves the pool, and an idle one is reported through `DriverHooks.onError`.
 * - **Clean release**: a session left in a transaction or holding the schema lock is rolled back or reset
 *   (COM_RESET_CONNECTION, then the session settings again), or destroyed when that fails.
 * - **Sizing**: `min` connections are kept open and `idleTimeoutMs`, `maxIdle` and `maxLifetimeMs` are
 *   enforced by the driver's own sweep, which mysql2 cannot do (see `mysql2PoolOptions`).
 * - **Counts**: `nativeStats()` reads mysql2's internal `_allConnections` and `_freeConnections` queues
 *   (stable through mysql2 3.x; there is no public equivalent).
 */
export class MysqlDriver implements Driver {
  /** The backend's name, as `db.backend` reports it (MySQL and MariaDB alike). */
  readonly backend = 'mysql';
  /** Transactions, savepoints and foreign keys; no `RETURNING` (`MYSQL_CAPABILITIES`). */
  readonly capabilities = MYSQL_CAPABILITIES;
  /** Read replicas by GTID position, on MariaDB (MySQL 8 is refused on the first routed operation). */
  readonly replication = MARIADB_REPLICATION;
  readonly max: number;
  readonly #config: MysqlDriverConfig;
  readonly #min: number;
  readonly #tls: ResolvedTls | false | undefined;
  readonly #tracked = new WeakMap<Mysql2CoreConnection, Tracked>();
  readonly #live = new Set<Tracked>();
  #state: 'new' | 'open' | 'closed' = 'new';
  #pool: Mysql2Pool | undefined;
  #hooks: DriverHooks | undefined;
  #server: Promise<MysqlServer> | undefined;
  /** The flavour `#server` found, once it has. */
  #flavour: MysqlServer['flavour'] | undefined;
  /** Whether COMMITs carry markers: tried until the table proves missing, on again after `ensureSchema`. */
  readonly #commitMarkers: CommitMarkerState = { available: true };
  #sessionSql: string | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  #warming = false;
  #warmFailures = 0;
  #warmNotBefore = 0;

  /**
   * Checks the options at once: `RangeError` for impossible sizes or session options, `ValidationError`
   * naming the option for a duration that is not finite, negative or past 2^31 − 1 ms (Node's timer limit),
   * `TlsError` for TLS options that cannot work (see `resolveTls`, whose files are read here).
   */
  constructor(config: MysqlDriverConfig = {}) {
    checkDriverDurations(config);
    checkDuration('keepAliveInitialDelay', config.keepAliveInitialDelay);
    checkDuration('sweepIntervalMs', config.sweepIntervalMs, { min: 1 });
    const cache = config.maxPreparedStatements;
    if (cache !== undefined && (!Number.isInteger(cache) || cache < 1))
      throw new RangeError('maxPreparedStatements must be a positive integer');
    const max = config.max ?? MYSQL_DEFAULTS.max;
    const min = config.min ?? MYSQL_DEFAULTS.min;
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    if (!Number.isInteger(min) || min < 0 || min > max)
      throw new RangeError('min must be an integer from 0 to max');
    this.max = max;
    this.#min = min;
    this.#config = { ...config };
    this.#tls = resolveTls(config.tls);
    // Fail on bad session options now rather than on the first connection.
    sessionStatement('mariadb', config);
  }

  /**
   * OpenTelemetry's `db.system.name` of the server, `mariadb` or `mysql` as its `VERSION()` says, once the
   * first connection has been opened (`undefined` before): `@berth/core/otel` names MariaDB by it.
   */
  serverSystem(): string | undefined {
    return this.#flavour;
  }

  /** The server the driver is connected to, once the first connection has been opened. */
  get server(): Promise<MysqlServer> | undefined {
    return this.#server;
  }

  /** Creates mysql2's pool (connecting lazily) and starts opening `min` connections in the background. */
  async open(hooks: DriverHooks): Promise<void> {
    if (this.#state !== 'new')
      throw new Error(`the MySQL driver was already ${this.#state === 'closed' ? 'closed' : 'opened'}`);
    // Loaded on open, not on import: mysql2 is a peer dependency.
    const { createPool } = (await import('mysql2/promise')) as unknown as { createPool: CreateMysql2Pool };
    const pool = createPool(mysql2PoolOptions(this.#config, this.max, this.#tls));
    this.#hooks = hooks;
    this.#pool = pool;
    this.#state = 'open';
    pool.pool.on('connection', (core) => this.#adopt(core));
    // mysql2's pool does not emit `error` today; if a version does, it must not become an uncaught exception.
    pool.pool.on('error', (error) => hooks.onError(mapMysqlError(error, [])));
    const idleTimeout = this.#config.idleTimeoutMs ?? MYSQL_DEFAULTS.idleTimeoutMs;
    const interval = this.#config.sweepIntervalMs ?? Math.min(1_000, Math.max(50, idleTimeout / 4));
    this.#sweepTimer = setInterval(() => this.#sweep(), interval);
    this.#sweepTimer.unref();
    this.#warm();
  }

  /** Registers a connection mysql2 has just opened: listeners for its whole life, and `onCreate`. */
  #adopt(core: Mysql2CoreConnection): void {
    const tracked: Tracked = {
      core,
      id: String(core.threadId),
      createdAt: Date.now(),
      wrapper: undefined,
      checkedOut: false,
      discarded: false,
    };
    this.#tracked.set(core, tracked);
    this.#live.add(tracked);
    const onFailure = (error: unknown) => {
      if (tracked.discarded || this.#state === 'closed') return;
      // A checked-out connection's caller gets the error from its statement; an idle one's has nobody.
      if (!tracked.checkedOut) {
        this.#hooks?.onError(
          new ConnectionLostError(`idle connection ${tracked.id} was closed: ${describeError(error)}`, {
            cause: error,
          }),
        );
      }
      // mysql2 closes the socket itself after an `error` or `end`, and fails the running command first;
      // destroying a checked-out one here would close it before that, and its command would never settle.
      this.#discard(tracked, 'error', !tracked.checkedOut);
    };
    // mysql2 emits `error` on the connection itself (KILL, reset, server shutdown), possibly more than once.
    core.on('error', onFailure);
    core.on('end', () => onFailure(new Error('the server closed the connection')));
    this.#hooks?.onCreate(tracked.id);
  }

  /**
   * Checks a connection out of mysql2's pool, opening one if none is idle. A new connection's session is
   * set up before it is handed out. Throws `ConnectionLostError` when the server cannot be reached, and
   * `TlsError` when TLS fails (see `connectError`).
   */
  acquire(): Promise<MysqlConnection> {
    const pool = this.#pool;
    if (this.#state !== 'open' || !pool) {
      return Promise.reject(new ConnectionLostError('the MySQL driver is not open'));
    }
    // Not an async function: a connection already set up is handed out in the one step after mysql2's.
    return pool.getConnection().then(
      (native) => this.#checkOut(native),
      (error: unknown) => {
        throw connectError(error, Boolean(this.#tls));
      },
    );
  }

  #checkOut(native: Mysql2PoolConnection): MysqlConnection | Promise<MysqlConnection> {
    const tracked = this.#tracked.get(native.connection);
    if (!tracked || tracked.discarded || this.#state !== 'open') {
      native.destroy();
      if (tracked) this.#discard(tracked, 'closed');
      throw new ConnectionLostError('the connection closed as it was handed out');
    }
    tracked.checkedOut = true;
    tracked.wrapper?.checkedOut();
    return tracked.wrapper ?? this.#setUp(native, tracked);
  }

  /** A new connection's session, set up before it is handed out the first time. */
  async #setUp(native: Mysql2PoolConnection, tracked: Tracked): Promise<MysqlConnection> {
    try {
      const server = await this.#describe(native);
      await native.query(this.#bounded(this.#sessionSql!));
      tracked.wrapper = new MysqlConnection(native, server, tracked.id, this.#boundMs, this.#commitMarkers);
      tracked.wrapper.observeQueries(this.#hooks?.queries);
    } catch (error) {
      tracked.checkedOut = false;
      this.#discard(tracked, 'error');
      throw mapMysqlError(error, []);
    }
    return tracked.wrapper;
  }

  /** The client-side bound of every statement, when there is a statement timeout. */
  get #boundMs(): number | undefined {
    return statementBoundMs(this.#config.statementTimeoutMs);
  }

  /** A statement with the client-side bound, when there is one. */
  #bounded(sql: string): string | { sql: string; timeout: number } {
    const timeout = this.#boundMs;
    return timeout === undefined ? sql : { sql, timeout };
  }

  /** Detects the flavour once, on the first connection; a failed detection is retried on the next. */
  #describe(native: Mysql2PoolConnection): Promise<MysqlServer> {
    this.#server ??= (async () => {
      const [rows] = await native.query(this.#bounded('SELECT VERSION() AS `version`'));
      const version = String((rows as Record<string, unknown>[])[0]?.version ?? '');
      const server = describeServer(version, this.#config.collation);
      this.#sessionSql = sessionStatement(server.flavour, this.#config);
      this.#flavour = server.flavour;
      return server;
    })();
    this.#server.catch(() => {
      this.#server = undefined;
    });
    return this.#server;
  }

  /**
   * Gives a connection back to mysql2's pool, first resetting a dirty session (see `resetOnRelease`).
   * Destroys it instead when asked, when it is broken, past `maxLifetimeMs`, or when the reset fails.
   * Never throws.
   */
  release(connection: DriverConnection, destroy: boolean): Promise<void> {
    // Not an async function: a clean connection goes back at once, answered with one shared settled promise.
    try {
      const tracked =
        connection instanceof MysqlConnection ? this.#tracked.get(connection.native.connection) : undefined;
      if (!tracked?.wrapper || !tracked.checkedOut) return RELEASED;
      tracked.checkedOut = false;
      if (tracked.discarded) return RELEASED;
      const wrapper = tracked.wrapper;
      if (wrapper.broken) this.#discard(tracked, 'error');
      else if (destroy) this.#discard(tracked, 'discarded');
      else if (this.#state !== 'open') this.#discard(tracked, 'closed');
      else if (this.#pastLifetime(tracked)) this.#discard(tracked, 'lifetime');
      else {
        const always = this.#config.resetOnRelease === 'always';
        if (always || wrapper.dirty) return this.#resetAndRelease(tracked, wrapper, always);
        wrapper.native.release();
      }
      return RELEASED;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Whether a clean connection given back while another caller waits may go straight to that caller (see
   * `Driver.handOver`): not when `release` would do more than give it back (broken, past `maxLifetimeMs`, a
   * session to reset). It stays checked out; what checking it out again does is done here.
   */
  handOver(connection: DriverConnection): boolean {
    if (!(connection instanceof MysqlConnection) || this.#state !== 'open') return false;
    const tracked = this.#tracked.get(connection.native.connection);
    const wrapper = tracked?.wrapper;
    if (!tracked || !wrapper || !tracked.checkedOut || tracked.discarded || wrapper.broken) return false;
    if (this.#config.resetOnRelease === 'always' || wrapper.dirty || this.#pastLifetime(tracked))
      return false;
    wrapper.checkedOut();
    return true;
  }

  /** Resets a dirty session (see `resetOnRelease`) before the connection goes back; destroys it if that fails. */
  async #resetAndRelease(tracked: Tracked, wrapper: MysqlConnection, always: boolean): Promise<void> {
    try {
      await wrapper.resetSession(this.#sessionSql!, always);
    } catch {
      return this.#discard(tracked, 'error');
    }
    if (tracked.discarded) return;
    wrapper.native.release();
  }

  #pastLifetime(tracked: Tracked): boolean {
    const lifetime = this.#config.maxLifetimeMs ?? MYSQL_DEFAULTS.maxLifetimeMs;
    return lifetime > 0 && Date.now() - tracked.createdAt >= lifetime;
  }

  /**
   * Closes a connection for good (or, with `destroy` false, lets mysql2 close a connection that failed)
   * and reports it, once; then refills `min`.
   */
  #discard(tracked: Tracked, reason: string, destroy = true): void {
    if (tracked.discarded) return;
    tracked.discarded = true;
    this.#live.delete(tracked);
    tracked.wrapper?.markLost();
    if (destroy) {
      try {
        tracked.core.destroy();
        // mysql2 only half-closes the socket, which lingers while the peer is silent (a dead network):
        // a connection given up on for an error is closed outright. Its command has settled already (a
        // checked-out connection is destroyed only once its caller has its answer), so nothing is left
        // pending: mysql2 ignores the socket's close once it is closing.
        if (reason === 'error') tracked.core.stream?.destroy();
      } catch {
        // Destroying an already failed socket has nothing left to do.
      }
    }
    this.#hooks?.onDestroy(tracked.id, reason);
    if (this.#state === 'open') setImmediate(() => this.#warm());
  }

  /** Closes idle connections as `pickIdleToClose` decides, then refills `min`. */
  #sweep(): void {
    const pool = this.#pool?.pool;
    if (this.#state !== 'open' || !pool) return;
    const now = Date.now();
    // mysql2 hands out the most recently released connection first, so the queue's head idled longest.
    const idle: Tracked[] = [];
    for (let i = 0; i < pool._freeConnections.length; i++) {
      const tracked = this.#tracked.get(pool._freeConnections.get(i));
      if (tracked && !tracked.discarded) idle.push(tracked);
    }
    const reasons = pickIdleToClose(
      idle.map((t) => ({ idleForMs: now - (t.core.lastActiveTime ?? now), ageMs: now - t.createdAt })),
      pool._allConnections.length,
      {
        min: this.#min,
        maxIdle: this.#config.maxIdle ?? this.max,
        idleTimeoutMs: this.#config.idleTimeoutMs ?? MYSQL_DEFAULTS.idleTimeoutMs,
        maxLifetimeMs: this.#config.maxLifetimeMs ?? MYSQL_DEFAULTS.maxLifetimeMs,
      },
    );
    reasons.forEach((reason, i) => {
      if (reason) this.#discard(idle[i]!, reason);
    });
    this.#warm();
  }

  /**
   * Opens connections until `min` are open, in the background. To make mysql2 open new ones rather than
   * hand back idle ones, it checks out the idle ones too, briefly. Failures are reported through
   * `onError` and retried with a growing pause.
   */
  #warm(): void {
    const pool = this.#pool?.pool;
    if (this.#warming || this.#state !== 'open' || !pool || this.#min === 0) return;
    if (performance.now() < this.#warmNotBefore) return;
    const deficit = this.#min - pool._allConnections.length;
    if (deficit <= 0) return;
    this.#warming = true;
    const count = Math.min(this.max, pool._freeConnections.length + deficit);
    void Promise.allSettled(Array.from({ length: count }, () => this.acquire()))
      .then(async (results) => {
        let failure: unknown;
        for (const result of results) {
          if (result.status === 'fulfilled') await this.release(result.value, false);
          else failure ??= result.reason;
        }
        if (failure === undefined) {
          this.#warmFailures = 0;
          return;
        }
        this.#warmFailures++;
        this.#warmNotBefore =
          performance.now() + Math.min(MAX_WARM_BACKOFF_MS, 250 * 2 ** this.#warmFailures);
        if (this.#state === 'open') this.#hooks?.onError(asError(failure));
      })
      .finally(() => {
        this.#warming = false;
      });
  }

  /** mysql2's counts: connections open or opening, and of those, idle in its pool. */
  nativeStats(): {
    /** Connections mysql2 holds, open or opening. */
    total: number;
    /** Of those, the ones idle in its pool. */
    idle: number;
  } {
    const pool = this.#pool?.pool;
    if (this.#state !== 'open' || !pool) return { total: 0, idle: 0 };
    return { total: pool._allConnections.length, idle: pool._freeConnections.length };
  }

  /** Says goodbye on every connection (COM_QUIT), destroying those that do not answer, and ends the pool. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearInterval(this.#sweepTimer);
    const pool = this.#pool;
    if (!pool) return;
    try {
      await withTimeout(pool.end(), CLOSE_TIMEOUT_MS);
    } catch {
      // Connections still opening, or a server that does not answer COM_QUIT.
      const all = pool.pool._allConnections;
      const remaining: Mysql2CoreConnection[] = [];
      for (let i = 0; i < all.length; i++) remaining.push(all.get(i));
      for (const core of [...remaining, ...[...this.#live].map((t) => t.core)]) {
        try {
          core.destroy();
        } catch {
          // Already gone.
        }
      }
    }
    for (const tracked of this.#live) {
      tracked.discarded = true;
      tracked.wrapper?.markLost();
      this.#hooks?.onDestroy(tracked.id, 'closed');
    }
    this.#live.clear();
  }
}
