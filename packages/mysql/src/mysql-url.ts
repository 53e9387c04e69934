import { ValidationError } from '@berth/core';
import type { TlsMode, TlsOptions } from '@berth/sql';

/** Where a `mysql://` or `mariadb://` URL points, in mysql2's connection option names. */
export interface MysqlLocation {
  /** The server's host name or IP address. */
  host: string;
  /** The server's TCP port (default 3306). */
  port: number;
  /** The user to log in as (default `root`). */
  user: string;
  /** The user's password, if it has one; never logged. */
  password?: string;
  /** The schema berth works in; statements and `ensureSchema` need one. */
  database?: string;
  /** A Unix socket path (`?socketPath=/run/mysqld/mysqld.sock`), used instead of host and port. */
  socketPath?: string;
  /**
   * TLS (see `TlsOptions`): from the URL's `ssl-mode`, `ssl-ca`, `ssl-cert`, `ssl-key` (or `ssl=true`, see
   * `parseMysqlUrl`), or `MysqlDriver`'s `tls` option. Verification without a CA is refused when the driver
   * is made; a failed handshake is a `TlsError` naming the reason, never a fallback to plain TCP.
   */
  tls?: TlsOptions;
}

const SCHEMES = new Set(['mysql:', 'mariadb:']);
const QUERY_KEYS = new Set(['socketPath', 'ssl', 'ssl-mode', 'ssl-ca', 'ssl-cert', 'ssl-key']);

/** MySQL's `--ssl-mode` values, as berth's modes. PREFERRED is refused (see `TlsMode`). */
const SSL_MODES: Record<string, TlsMode> = {
  DISABLED: 'disable',
  REQUIRED: 'require',
  VERIFY_CA: 'verify-ca',
  VERIFY_IDENTITY: 'verify-full',
};

/** The URL's TLS parameters as `TlsOptions`, or `undefined` when it has none. */
function tlsParams(params: URLSearchParams): TlsOptions | undefined {
  const tls: TlsOptions = {};
  const mode = params.get('ssl-mode');
  if (mode !== null) {
    const upper = mode.toUpperCase();
    if (upper === 'PREFERRED') {
      throw new ValidationError(
        'ssl-mode=PREFERRED is refused: it falls back to plain TCP when the server (or anyone in between) declines TLS; use DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY',
      );
    }
    const mapped = SSL_MODES[upper];
    if (!mapped) {
      throw new ValidationError(
        `the MySQL URL parameter ssl-mode is DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY (got "${mode}")`,
      );
    }
    tls.mode = mapped;
  }
  const ca = params.get('ssl-ca');
  if (ca !== null) tls.caFile = ca;
  const cert = params.get('ssl-cert');
  if (cert !== null) tls.certFile = cert;
  const key = params.get('ssl-key');
  if (key !== null) tls.keyFile = key;
  const ssl = params.get('ssl');
  if (ssl !== null && ssl !== 'true' && ssl !== 'false') {
    throw new ValidationError('the MySQL URL parameter ssl is "true" or "false"');
  }
  if (ssl === 'false' && tls.mode === undefined) tls.mode = 'disable';
  // The older spelling: TLS verified against the system store, host name included.
  if (ssl === 'true' && tls.mode === undefined && tls.caFile === undefined) tls.systemCa = true;
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/**
 * Parses `mysql://user:password@host:port/database` (or `mariadb://...`). User and password are
 * percent-decoded; the port defaults to 3306 and the user to `root`. Unknown query parameters are
 * refused rather than ignored, so a misspelt option does not pass silently.
 *
 * TLS in MySQL's own spelling: `ssl-mode` (DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY; PREFERRED is
 * refused), `ssl-ca` (a PEM file, or `system` for the system store), `ssl-cert`, `ssl-key`. The older
 * `ssl=true` verifies the server and its host name against the system store; `ssl=false` is plain TCP.
 */
export function parseMysqlUrl(url: string): MysqlLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('invalid MySQL URL: expected mysql://user:password@host:port/database');
  }
  if (!SCHEMES.has(parsed.protocol)) {
    throw new ValidationError(`a MySQL URL starts with mysql:// or mariadb://, not ${parsed.protocol}//`);
  }
  for (const key of parsed.searchParams.keys()) {
    if (!QUERY_KEYS.has(key)) throw new ValidationError(`unknown MySQL URL parameter "${key}"`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database.includes('/')) throw new ValidationError('a MySQL URL names at most one database');
  const port = parsed.port === '' ? 3306 : Number(parsed.port);
  const location: MysqlLocation = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port,
    user: parsed.username === '' ? 'root' : decodeURIComponent(parsed.username),
  };
  if (parsed.password !== '') location.password = decodeURIComponent(parsed.password);
  if (database !== '') location.database = database;
  const socketPath = parsed.searchParams.get('socketPath');
  if (socketPath) location.socketPath = socketPath;
  const tls = tlsParams(parsed.searchParams);
  if (tls) location.tls = tls;
  return location;
}
