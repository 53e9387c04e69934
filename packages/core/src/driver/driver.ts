import type { Capabilities, BackendName } from './capabilities.js';
import type { QueryObserver } from '../events/query-event.js';
import type { DriverConnection } from './driver-connection.js';
import type { CausalReadSupport } from './causal-read-support.js';
import type { ReplicationSupport } from './replication-support.js';

/**
 * Callbacks the core gives a driver when it opens it, so native pool events reach berth's pool events.
 */
export interface DriverHooks {
  /** A physical connection was opened. */
  onCreate(connectionId: string): void;
  /** A physical connection was closed or discarded; `reason` says why ("idle", "error", "lifetime", "closed"...). */
  onDestroy(connectionId: string, reason: string): void;
  /**
   * An error happened outside any caller's operation (an idle connection dropped by the server, a failed
   * background connect). The driver must already have removed the dead connection; the core records the
   * error for `PoolTimeoutError.lastConnectionError` and emits an `error` event. The process must not crash.
   */
  onError(error: Error): void;
  /**
   * Where connections report every statement they send (`db.on('query')`). Drivers hand it to each
   * connection they create; connections check `queries.listening` before doing any work for it.
   */
  readonly queries?: QueryObserver;
}

/**
 * A backend driver: owns the native pool and hands out `DriverConnection`s. The core's `Pool` sits in
 * front of it and enforces the pool contract (acquire deadline, FIFO waiters, stats, leak detection,
 * validation, clean release, drain), so drivers stay thin. The core never asks for more than `max`
 * connections at once, so the native pool never needs to queue.
 */
export interface Driver {
  /** Which backend this is (`'postgres'`, `'mysql'`, `'mongodb'`, `'pglite'`): in query events, spans and errors. */
  readonly backend: BackendName;
  /** What the backend can do; the core refuses what it cannot before sending anything. */
  readonly capabilities: Capabilities;
  /** The native pool's size limit, which the core uses as its own. */
  readonly max: number;
  /** Replication positions, for read replicas (`connect(url, { replicas })`); absent where unsupported. */
  readonly replication?: ReplicationSupport;
  /**
   * How many autocommit reads may share one connection at once, sent without waiting for the answers
   * before them (pipelining; see `Pool.runShared`). Absent or 1: none, every caller has a connection of
   * its own. A driver that sets it must let such a connection run that many reads concurrently, answer
   * each on its own (one failing never fails another), and fail every read in flight with
   * `ConnectionLostError` when the connection is lost.
   */
  readonly pipelineDepth?: number;
  /**
   * With a `pipelineDepth`, where a read goes while a connection is still free: `'spread'` (the default)
   * takes it, so reads share only once every connection is busy; `'pack'` joins a shared connection that
   * has room first, so the fewest connections serve the reads (see `Pool.runShared`).
   */
  readonly pipelineFill?: 'spread' | 'pack';
  /**
   * Read routing and causal positions the driver's own client provides (a MongoDB replica set or sharded
   * cluster), read once the driver is open; absent where the client cannot (a standalone server, SQL).
   */
  readonly causalReads?: CausalReadSupport | undefined;
  /**
   * OpenTelemetry's `db.system.name` of the server behind, once the driver has learnt it from the server
   * itself (the MySQL driver tells MariaDB from MySQL by `VERSION()` on its first connection): `undefined`
   * until then, and absent where the backend alone says it. Read by `Database.serverSystem()`.
   */
  serverSystem?(): string | undefined;

  /** Opens the native pool. Called once, before any `acquire`. May connect lazily. */
  open(hooks: DriverHooks): Promise<void>;

  /**
   * Checks a connection out of the native pool, connecting if needed. Throws `ConnectionLostError` when the
   * database cannot be reached. If the returned connection object is the same one as before for the same
   * physical connection, the core can track idle time per connection (adapters should reuse the wrapper).
   */
  acquire(): Promise<DriverConnection>;

  /**
   * Gives a connection back. With `destroy`, the physical connection is closed and dropped from the native
   * pool instead of being reused. Must not throw. A destroyed connection must leave `nativeStats()` before
   * the first `await`: the core does not wait for the close of a connection whose peer went silent.
   */
  release(connection: DriverConnection, destroy: boolean): Promise<void>;

  /**
   * Optional. Asked when a caller gives back a clean connection (healthy, outside any transaction) while
   * another caller waits: true lets the core hand it straight to that caller, so it stays checked out and
   * skips the round through the native pool (`release`, then `acquire`), as a native pool's own queue would.
   * Answer false for a connection the native pool would not hand out again as it is (past its lifetime or
   * use count, a session to reset); the core then calls `release`. Absent: every connection goes back
   * through `release`. Must not throw, and must do what checking the connection out again would.
   */
  handOver?(connection: DriverConnection): boolean;
  /** The native pool's own counts: physical connections open, and of those, idle in the pool. */
  nativeStats(): {
    /** Physical connections open, in use or idle. */
    total: number;
    /** Of `total`, those idle in the native pool. */
    idle: number;
  };

  /** Closes every connection and the native pool. */
  close(): Promise<void>;
}

/** `DriverOptions.connectTimeoutMs` when it is not given: what every adapter's default is. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Options every adapter understands, mapped onto its native pool. */
export interface DriverOptions {
  /** Most connections open at once (default 10). */
  max?: number;
  /** Connections kept open even when idle (default 0). */
  min?: number;
  /** Idle connections beyond `min` are closed after this long (default 30 000 ms). */
  idleTimeoutMs?: number;
  /** A connection is retired after this long, whatever its use (default 30 minutes; 0 disables). */
  maxLifetimeMs?: number;
  /**
   * Opening one connection fails after this long (default `DEFAULT_CONNECT_TIMEOUT_MS`, 5 000 ms). It also
   * bounds `connect()`'s wait for its first connection when longer than the acquire deadline.
   */
  connectTimeoutMs?: number;
  /** A statement is cancelled by the server after this long (default none). */
  statementTimeoutMs?: number;
  /** The acquire deadline; adapters that hide their connections (MongoDB) map it onto the driver's own. */
  acquireTimeoutMs?: number;
  /** Reported to the server as the client's name where the backend has one (default "berth"). */
  applicationName?: string;
}

/**
 * What an adapter package exports as `adapter`: `connect()` loads the package by the URL's scheme and calls
 * `createDriver`. Which scheme loads which package is one table, `ADAPTER_PACKAGES`, not a field here.
 */
export interface Adapter {
  /** The backend the adapter's drivers serve. */
  readonly backend: BackendName;
  /** Builds the driver (and its pool) for `url`; may load the driver package lazily, hence the promise. */
  createDriver(url: string, options: DriverOptions): Driver | Promise<Driver>;
}
