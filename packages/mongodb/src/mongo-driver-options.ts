import { checkDriverDurations, type DriverOptions, ValidationError } from '@berth/core';
import type { MongoClientOptions } from 'mongodb';

/** `DriverOptions` plus what only MongoDB needs. */
export interface MongoDriverOptions extends DriverOptions {
  /** The database to use; default: the one named in the URL's path (one of the two is required). */
  database?: string;
  /**
   * Further `MongoClient` options (TLS, credentials, compressors, read preference...). The pool, timeout
   * and name options berth maps from `DriverOptions` always win over these.
   */
  clientOptions?: MongoClientOptions;
}

/** The pool and timeout defaults, equal to the core's so both layers agree. */
export const MONGO_DEFAULTS = {
  /** Most connections open at once (driver `maxPoolSize`). */
  max: 10,
  /** Connections kept open when idle (driver `minPoolSize`). */
  min: 0,
  /** Milliseconds an idle connection is kept before it is closed (driver `maxIdleTimeMS`). */
  idleTimeoutMs: 30_000,
  /** Milliseconds to open a socket before giving up (driver `connectTimeoutMS`). */
  connectTimeoutMs: 5_000,
  /** Milliseconds a caller waits for a free connection (driver `waitQueueTimeoutMS`). */
  acquireTimeoutMs: 5_000,
  /** The name the server logs for the client's connections (driver `appName`). */
  applicationName: 'berth',
  /** Sockets the driver may be opening at once (its own default is 2 as well). */
  maxConnecting: 2,
  /**
   * Silence before the first TCP keepalive probe on every socket (the driver always turns keepalive on, with
   * 120 000 ms by default; berth uses pg's and mysql2's 10 000 ms, so a peer that vanished is noticed sooner).
   * `clientOptions.keepAliveInitialDelay` overrides it.
   */
  keepAliveInitialDelayMs: 10_000,
} as const;

function integer(name: string, value: number | undefined, fallback: number, min: number): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < min) {
    throw new ValidationError(`${name} must be an integer of at least ${min}`, [
      { field: name, message: 'invalid' },
    ]);
  }
  return result;
}

/**
 * Maps berth's `DriverOptions` onto the driver's own pool:
 * - `max` → `maxPoolSize`, `min` → `minPoolSize`, `maxConnecting` 2;
 * - `idleTimeoutMs` → `maxIdleTimeMS` (idle sockets), never onto the wait queue;
 * - `acquireTimeoutMs` → `waitQueueTimeoutMS`: the driver would otherwise wait for a socket forever;
 * - `connectTimeoutMs` → `connectTimeoutMS` and `serverSelectionTimeoutMS` (the driver's default for the
 *   latter is 30 s), so an unreachable server fails an operation within that bound;
 * - `applicationName` → `appName` (visible in the server's logs and `$currentOp`);
 * - TCP keepalive after `keepAliveInitialDelayMs` of silence (see `MONGO_DEFAULTS`).
 *
 * `statementTimeoutMs` is not a client option: the connection sends it as `maxTimeMS` on each command,
 * with a client-side bound a little later (`statementBoundMs`, see `MongoConnection`). `maxLifetimeMs` has no equivalent in the driver and is ignored.
 */
export function toMongoClientOptions(options: MongoDriverOptions): MongoClientOptions {
  // Finite, at most 2^31 − 1 ms (Node's timer limit): `ValidationError` naming the option otherwise.
  checkDriverDurations(options);
  const max = integer('max', options.max, MONGO_DEFAULTS.max, 1);
  const min = integer('min', options.min, MONGO_DEFAULTS.min, 0);
  if (min > max)
    throw new ValidationError('min cannot exceed max', [{ field: 'min', message: 'exceeds max' }]);
  const connectTimeout = integer(
    'connectTimeoutMs',
    options.connectTimeoutMs,
    MONGO_DEFAULTS.connectTimeoutMs,
    1,
  );
  return {
    keepAliveInitialDelay: MONGO_DEFAULTS.keepAliveInitialDelayMs,
    ...options.clientOptions,
    maxPoolSize: max,
    minPoolSize: min,
    maxConnecting: MONGO_DEFAULTS.maxConnecting,
    maxIdleTimeMS: integer('idleTimeoutMs', options.idleTimeoutMs, MONGO_DEFAULTS.idleTimeoutMs, 0),
    waitQueueTimeoutMS: integer(
      'acquireTimeoutMs',
      options.acquireTimeoutMs,
      MONGO_DEFAULTS.acquireTimeoutMs,
      1,
    ),
    connectTimeoutMS: connectTimeout,
    serverSelectionTimeoutMS: connectTimeout,
    appName: options.applicationName ?? MONGO_DEFAULTS.applicationName,
  };
}

/** Checks `statementTimeoutMs`: a positive whole number of milliseconds, or absent. */
export function statementTimeout(options: MongoDriverOptions): number | undefined {
  if (options.statementTimeoutMs === undefined || options.statementTimeoutMs === 0) return undefined;
  return integer('statementTimeoutMs', options.statementTimeoutMs, 0, 1);
}

/**
 * How far past `statementTimeoutMs` the client gives up on an operation the server has not answered: a
 * twentieth of the statement timeout, at least 20 ms and at most 1 s, so an operation in flight on a dead
 * network fails within the statement timeout + 10 % (for timeouts of 200 ms and more).
 *
 * `maxTimeMS` is enforced by the server, so it cannot fire when the network is dark. The server starts it
 * when the command arrives and its MaxTimeMSExpired needs a round trip back; the margin covers that round
 * trip and the event loop's lateness on any reasonable network, so a legitimately slow operation still gets
 * the server's `StatementTimeoutError` (its socket kept); only a server or network that answers nothing
 * meets the client-side bound (`ConnectionLostError`).
 */
export const STATEMENT_BOUND_MARGIN = Object.freeze({
  /** The margin's share of the statement timeout: a twentieth. */
  ratio: 0.05,
  /** The smallest margin, in milliseconds. */
  minMs: 20,
  /** The largest margin, in milliseconds. */
  maxMs: 1_000,
});

/** The client-side bound of an operation for a statement timeout, in whole milliseconds; none without one. */
export function statementBoundMs(statementTimeoutMs: number | undefined): number | undefined {
  if (statementTimeoutMs === undefined) return undefined;
  const { ratio, minMs, maxMs } = STATEMENT_BOUND_MARGIN;
  return Math.ceil(statementTimeoutMs + Math.min(maxMs, Math.max(minMs, statementTimeoutMs * ratio)));
}
