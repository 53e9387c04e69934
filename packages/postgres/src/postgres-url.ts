import { ValidationError } from '@berth/core';

/** The URL schemes the PostgreSQL adapter serves. */
export const POSTGRES_SCHEMES = Object.freeze(['postgres', 'postgresql'] as const);

/**
 * Checks that `url` is a `postgres:` or `postgresql:` URL and returns it unchanged, for pg's own
 * connection-string handling (credentials, host, port, database, `sslmode`, `application_name`...).
 * Throws `ValidationError` otherwise, naming the URL without its password.
 */
export function checkPostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(
      'malformed PostgreSQL URL: expected postgres://user:password@host:port/database',
    );
  }
  const scheme = parsed.protocol.slice(0, -1).toLowerCase();
  if (!(POSTGRES_SCHEMES as readonly string[]).includes(scheme)) {
    if (parsed.password) parsed.password = '***';
    throw new ValidationError(`not a PostgreSQL URL (postgres:// or postgresql://): ${parsed.href}`);
  }
  return url;
}

/**
 * Reads and removes the `pgbouncer` parameter of a PostgreSQL URL (`?pgbouncer=true`, as Prisma spells it),
 * which is berth's and not libpq's, so pg never sees it. `true`/`1` and `false`/`0` are accepted; anything
 * else throws `ValidationError`. `pgbouncer` is `undefined` when the URL does not say.
 */
export function takePgbouncerParam(url: string): {
  /** The URL without its `pgbouncer` parameter. */
  url: string;
  /** What the parameter said, or undefined when the URL has none. */
  pgbouncer: boolean | undefined;
} {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, pgbouncer: undefined };
  }
  const value = parsed.searchParams.get('pgbouncer');
  if (value === null) return { url, pgbouncer: undefined };
  const normalized = value.toLowerCase();
  if (!['true', '1', 'false', '0'].includes(normalized)) {
    throw new ValidationError(`the URL's pgbouncer parameter must be true or false (got "${value}")`);
  }
  parsed.searchParams.delete('pgbouncer');
  return { url: parsed.href, pgbouncer: normalized === 'true' || normalized === '1' };
}
