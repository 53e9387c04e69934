import { checkDuration } from '@berth/core';
import { nodeTlsOptions, type ResolvedTls } from '@berth/sql';
import type { PgPoolConfig } from './pg-like.js';
import { POSTGRES_DEFAULTS, type PostgresDriverConfig } from './postgres-driver-config.js';

function count(name: string, value: number | undefined, fallback: number, least: number): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < least) {
    throw new RangeError(`${name} must be a whole number of at least ${least} (got ${value})`);
  }
  return result;
}

/**
 * A duration in whole milliseconds, rounded up so a fraction never becomes pg's "0 = never". Throws
 * `ValidationError` naming the option (see `checkDuration`: finite, at most 2^31 − 1 ms, at least `least`).
 */
function duration(name: string, value: number | undefined, fallback: number, least: number): number {
  checkDuration(name, value);
  return checkDuration(name, Math.ceil(value ?? fallback), { min: least }) as number;
}

/** The host a URL connects to, without IPv6 brackets: what the server's certificate must name. */
function hostOf(url: string): string {
  const parsed = new URL(url);
  return parsed.hostname.replace(/^\[(.*)\]$/, '$1') || parsed.searchParams.get('host') || 'localhost';
}

/**
 * Maps berth's driver options onto `pg.Pool`'s: sizes, idle and lifetime limits, the connect timeout, TCP
 * keepalive, `statement_timeout` (the client-side bound a little later is the connection's, see
 * `statementBoundMs`, not pg's `query_timeout`) and `application_name` (behind PgBouncer,
 * `pgbouncer: true`, no `statement_timeout`: see there). An `application_name` in the URL wins over both
 * the option and the default, as in pg. Throws `RangeError` for sizes
 * that make no sense, and `ValidationError` naming the option for a duration that is not finite, negative or
 * past 2^31 − 1 ms (Node's timer limit). `tls` (from `resolveTls`) becomes pg's `ssl`, checked against the
 * URL's host.
 */
export function toPgPoolConfig(
  url: string,
  config: PostgresDriverConfig,
  tls?: ResolvedTls | false,
): PgPoolConfig {
  const max = count('max', config.max, POSTGRES_DEFAULTS.max, 1);
  const min = count('min', config.min, POSTGRES_DEFAULTS.min, 0);
  if (min > max) throw new RangeError(`min (${min}) must not exceed max (${max})`);
  const lifetimeMs = duration('maxLifetimeMs', config.maxLifetimeMs, POSTGRES_DEFAULTS.maxLifetimeMs, 0);
  const pg: PgPoolConfig = {
    connectionString: url,
    max,
    min,
    // pg reads 0 as "never"; berth's idle timeout is always finite.
    idleTimeoutMillis: duration('idleTimeoutMs', config.idleTimeoutMs, POSTGRES_DEFAULTS.idleTimeoutMs, 1),
    connectionTimeoutMillis: duration(
      'connectTimeoutMs',
      config.connectTimeoutMs,
      POSTGRES_DEFAULTS.connectTimeoutMs,
      1,
    ),
    // pg counts whole seconds; round up so a short lifetime is not read as "forever".
    maxLifetimeSeconds: Math.ceil(lifetimeMs / 1_000),
    keepAlive: true,
    keepAliveInitialDelayMillis: duration(
      'keepAliveInitialDelayMs',
      config.keepAliveInitialDelayMs,
      POSTGRES_DEFAULTS.keepAliveInitialDelayMs,
      0,
    ),
    fallback_application_name: POSTGRES_DEFAULTS.applicationName,
  };
  if (config.applicationName !== undefined) pg.application_name = config.applicationName;
  if (config.pipeline) pg.pipeline = true;
  // Left unset when nothing asks for TLS, so pg's own PGSSLMODE reading applies as before.
  if (tls === false) pg.ssl = false;
  else if (tls) pg.ssl = nodeTlsOptions(tls, hostOf(url));
  // 0 is PostgreSQL's own "no statement timeout", the default.
  if (config.statementTimeoutMs !== undefined && config.statementTimeoutMs !== 0) {
    const ms = duration('statementTimeoutMs', config.statementTimeoutMs, 0, 1);
    // PgBouncer refuses the startup parameter; the connection sets it per transaction instead.
    if (!config.pgbouncer) pg.statement_timeout = ms;
  }
  return pg;
}
