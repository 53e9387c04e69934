import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { DriverOptions } from '@berth/core';
import type { ResolvedTls } from '@berth/sql';
import type { SessionOptions } from './mysql-session.js';
import type { MysqlLocation } from './mysql-url.js';

/** When a released connection's session is reset (COM_RESET_CONNECTION plus berth's settings again). */
export type ResetOnRelease = 'dirty' | 'always';

/** Everything `MysqlDriver` takes: where to connect, berth's pool options, and MySQL-specific knobs. */
export interface MysqlDriverConfig extends DriverOptions, SessionOptions, Partial<MysqlLocation> {
  /**
   * Most idle connections kept (default `max`); more are closed at the next sweep. Connections idle for
   * longer than `idleTimeoutMs` are closed too, down to `min`.
   */
  maxIdle?: number;
  /** Most `getConnection` calls mysql2 may queue (default `max`). berth's pool never lets it queue. */
  queueLimit?: number;
  /** TCP keep-alive on every socket, so a silently dead peer is noticed (default true). */
  enableKeepAlive?: boolean;
  /** Idle time before the first keep-alive probe (default 10 000 ms). */
  keepAliveInitialDelay?: number;
  /**
   * `'dirty'` (default) resets only sessions berth changed and could not restore (an open transaction is
   * rolled back, a held named lock reset away): berth runs only its own statements, so every other session
   * is already clean, and a reset costs two round trips. `'always'` resets every released session.
   */
  resetOnRelease?: ResetOnRelease;
  /** The collation of string columns `ensureSchema` creates (default the flavour's NO PAD binary one). */
  collation?: string;
  /** How often idle connections are checked for `idleTimeoutMs`, `maxIdle`, `maxLifetimeMs` and `min`. */
  sweepIntervalMs?: number;
  /**
   * Most server-side prepared statements kept per connection (default 100); the least recently used is
   * closed. Every statement with values is prepared (values are bound, never interpolated), so this bounds
   * what a connection holds on the server: the server's own limit (`max_prepared_stmt_count`, 16 382 by
   * default) is shared by every connection of every client, and mysql2's default of 16 000 per connection
   * would let a handful of pools exhaust it.
   */
  maxPreparedStatements?: number;
}

/** The MySQL adapter's defaults for what the URL and options leave unset. */
export const MYSQL_DEFAULTS = {
  /** Most connections open at once. */
  max: 10,
  /** Connections kept open when idle. */
  min: 0,
  /** Milliseconds an idle connection above `min` is kept before it is closed. */
  idleTimeoutMs: 30_000,
  /** Milliseconds a connection lives before it is closed and replaced (30 minutes). */
  maxLifetimeMs: 30 * 60_000,
  /** Milliseconds to open a connection (TCP, TLS and handshake) before giving up. */
  connectTimeoutMs: 5_000,
  /** Milliseconds of silence before the first TCP keep-alive probe. */
  keepAliveInitialDelay: 10_000,
  /** The `program_name` connection attribute the server shows for berth's sessions. */
  applicationName: 'berth',
  /** Server-side prepared statements kept per connection (see `MysqlDriverConfig.maxPreparedStatements`). */
  maxPreparedStatements: 100,
} as const;

/**
 * mysql2 pool options for a config. Fixed choices, each one something berth relies on:
 * UTC (`timezone: 'Z'`) Date values; BIGINT as numbers while safe; DECIMAL as numbers; JSON as text on
 * MySQL 8 too (`jsonStrings`, as MariaDB returns it), which the row codec parses; `FOUND_ROWS` so an
 * UPDATE reports rows matched (optimistic locking counts matches); several statements per query, for
 * one only: a COMMIT goes in the same packet as its commit marker (see `commit-marker.ts`), so a lost
 * reply can be resolved at no extra round trip (that text is berth's own: the marker is a value berth
 * makes, every name comes from the entity definitions, and a caller's values are never in it: they are
 * bound through server-side prepared statements); `?` placeholders only; at most `maxPreparedStatements`
 * prepared statements per connection.
 *
 * TLS (`tls`, from `resolveTls`) becomes mysql2's `ssl`: the chain checked unless the mode is `require`
 * without a CA, the host name checked under `verify-full` (see `ipSocket` for IP addresses).
 *
 * mysql2's own idle reaper is switched off (`maxIdle` = `connectionLimit`): it closes every idle
 * connection after `idleTimeout`, `min` included, so the driver sweeps idle connections itself.
 */
export function mysql2PoolOptions(
  config: MysqlDriverConfig,
  max: number,
  tls?: ResolvedTls | false,
): Record<string, unknown> {
  const options: Record<string, unknown> = {
    host: config.host ?? 'localhost',
    port: config.port ?? 3306,
    user: config.user ?? 'root',
    password: config.password,
    database: config.database,
    connectionLimit: max,
    maxIdle: max,
    idleTimeout: config.idleTimeoutMs ?? MYSQL_DEFAULTS.idleTimeoutMs,
    queueLimit: config.queueLimit ?? max,
    waitForConnections: true,
    connectTimeout: config.connectTimeoutMs ?? MYSQL_DEFAULTS.connectTimeoutMs,
    enableKeepAlive: config.enableKeepAlive ?? true,
    keepAliveInitialDelay: config.keepAliveInitialDelay ?? MYSQL_DEFAULTS.keepAliveInitialDelay,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    // DECIMAL as text: a decimal field is exact (a double would round it); aggregates parse their own.
    decimalNumbers: false,
    jsonStrings: true,
    charset: 'utf8mb4',
    flags: ['FOUND_ROWS'],
    multipleStatements: true,
    namedPlaceholders: false,
    maxPreparedStatements: config.maxPreparedStatements ?? MYSQL_DEFAULTS.maxPreparedStatements,
    connectAttributes: { program_name: config.applicationName ?? MYSQL_DEFAULTS.applicationName },
  };
  if (config.socketPath) options.socketPath = config.socketPath;
  if (tls) {
    options.ssl = {
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.cert !== undefined ? { cert: tls.cert, key: tls.key } : {}),
      ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
      rejectUnauthorized: tls.verifyChain,
      verifyIdentity: tls.verifyHost,
    };
    const host = options.host as string;
    if (tls.verifyHost && !config.socketPath && isIP(host) !== 0) {
      options.stream = () => ipSocket(host, options.port as number, options);
    }
  }
  return options;
}

/**
 * A TCP socket to an IP address whose TLS upgrade checks the certificate against that address. mysql2
 * sends no server name for an IP address, and Node's TLS then checks the certificate against the
 * socket's `_host` (which Node sets only after a DNS lookup), else against "localhost": a certificate
 * for localhost would pass for any address. Setting `_host` as a lookup would is the one way in, since
 * mysql2 takes no `checkServerIdentity`. Otherwise the socket is the one mysql2 makes itself (no delay,
 * keep-alive).
 */
function ipSocket(host: string, port: number, options: Record<string, unknown>): Socket {
  const socket = netConnect(port, host);
  (socket as Socket & { _host?: string })._host = host;
  socket.setNoDelay(true);
  if (options.enableKeepAlive) {
    socket.on('connect', () => socket.setKeepAlive(true, options.keepAliveInitialDelay as number));
  }
  return socket;
}

/**
 * How far past `statementTimeoutMs` the client gives up on a statement the server has not answered: 8 % of
 * the statement timeout, at least 40 ms and at most 1 s, so a statement in flight on a dead network fails
 * within the statement timeout + 10 % (for timeouts of 500 ms and more).
 *
 * The server's own timeout (MariaDB's `max_statement_time`, MySQL's `max_execution_time` and lock wait
 * timeouts) starts when the statement reaches it and its error needs a round trip back; the client's
 * starts when mysql2 sends the statement. The margin covers that round trip and the event loop's lateness
 * on any reasonable network, so a legitimately slow statement still gets the server's typed error and
 * keeps its connection; only a server or network that answers nothing meets the client-side bound
 * (`ConnectionLostError`, the connection destroyed). Measured on MariaDB 10.11 over loopback: a statement
 * cancelled by a 700 ms `max_statement_time` was answered 717-726 ms after it was issued on a quiet machine
 * and 746-772 ms with the CPUs busy, past the 5 % (35 ms) margin this once had.
 */
export const STATEMENT_BOUND_MARGIN = Object.freeze({
  /** The margin's share of the statement timeout: 8 %. */
  ratio: 0.08,
  /** The smallest margin, in milliseconds. */
  minMs: 40,
  /** The largest margin, in milliseconds. */
  maxMs: 1_000,
});

/**
 * The client-side bound of one statement (mysql2's per-query `timeout`), in whole milliseconds, for a
 * statement timeout of `statementTimeoutMs`; `undefined` (no bound) when there is no statement timeout.
 */
export function statementBoundMs(statementTimeoutMs: number | undefined): number | undefined {
  if (statementTimeoutMs === undefined || !(statementTimeoutMs > 0) || !Number.isFinite(statementTimeoutMs))
    return undefined;
  const { ratio, minMs, maxMs } = STATEMENT_BOUND_MARGIN;
  return Math.ceil(statementTimeoutMs + Math.min(maxMs, Math.max(minMs, statementTimeoutMs * ratio)));
}
