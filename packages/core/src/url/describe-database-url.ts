/** Where a database URL points, without its credentials: what an error message may show. */
export interface DatabaseTarget {
  /** The scheme, lower case, without the colon. */
  readonly scheme: string;
  /** `host:port` (or several, comma-separated, for MongoDB seed lists); `''` when the URL has none. */
  readonly hosts: string;
  /** The database (or, for PGlite, the data folder); `''` when the URL names none. */
  readonly database: string;
}

/** A host list: what may follow the credentials' `@` (names, IPv4, [IPv6], ports, commas). */
const HOSTS = /^[A-Za-z0-9.\-_~%[\]:,]*(?=[/?#]|$)/;

/**
 * Splits a database URL into scheme, hosts and database by hand, never echoing the user name or password.
 * Credentials are found by the last `@` followed by a well-formed host list, so a password holding `/`,
 * `@`, `?` or `#` unescaped (base64 secrets often do) cannot leak into the hosts or database.
 */
export function describeDatabaseUrl(url: string): DatabaseTarget {
  const separator = url.indexOf('://');
  const scheme = (separator > 0 ? url.slice(0, separator) : (url.split(':', 1)[0] ?? '')).toLowerCase();
  if (separator < 0) return { scheme, hosts: '', database: '' };
  let rest = url.slice(separator + 3);
  for (let at = rest.lastIndexOf('@'); at >= 0; at = rest.lastIndexOf('@', at - 1)) {
    if (HOSTS.test(rest.slice(at + 1))) {
      rest = rest.slice(at + 1);
      break;
    }
    if (at === 0) break;
  }
  const hosts = HOSTS.exec(rest)?.[0] ?? '';
  if (scheme === 'pglite') {
    // `pglite://memory` or `pglite://<dir>`: the "host" is the folder.
    return { scheme, hosts: '', database: decodeSafely(rest.split(/[?#]/, 1)[0] ?? '') };
  }
  const path = rest.slice(hosts.length);
  const database = path.startsWith('/') ? decodeSafely(path.slice(1).split(/[/?#]/, 1)[0] ?? '') : '';
  return { scheme, hosts, database };
}

/** `postgres://127.0.0.1:5432/app`: the target as one credential-free string. */
export function formatDatabaseTarget(target: DatabaseTarget): string {
  if (target.scheme === 'pglite') return `pglite://${target.database}`;
  return `${target.scheme}://${target.hosts}${target.database ? `/${target.database}` : ''}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
