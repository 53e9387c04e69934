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
