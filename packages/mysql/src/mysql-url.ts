import { ValidationError } from '@berth/core';

/** Where a `mysql://` or `mariadb://` URL points, in mysql2's connection option names. */
export interface MysqlLocation {
  host: string;
  port: number;
  user: string;
  password?: string;
  /** The schema berth works in; statements and `ensureSchema` need one. */
  database?: string;
  /** A Unix socket path (`?socketPath=/run/mysqld/mysqld.sock`), used instead of host and port. */
  socketPath?: string;
  /** TLS: `?ssl=true` verifies the server against the system's CAs; absent or `false` is plain TCP. */
  ssl?: { rejectUnauthorized: boolean };
}

const SCHEMES = new Set(['mysql:', 'mariadb:']);
const QUERY_KEYS = new Set(['socketPath', 'ssl']);

/**
 * Parses `mysql://user:password@host:port/database` (or `mariadb://...`). User and password are
 * percent-decoded; the port defaults to 3306 and the user to `root`. Unknown query parameters are
 * refused rather than ignored, so a misspelt option does not pass silently.
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
  const ssl = parsed.searchParams.get('ssl');
  if (ssl !== null && ssl !== 'true' && ssl !== 'false') {
    throw new ValidationError('the MySQL URL parameter ssl is "true" or "false"');
  }
  if (ssl === 'true') location.ssl = { rejectUnauthorized: true };
  return location;
}
