import { ADAPTER_PACKAGES } from '@berth/core';

/** Everything the service reads from its environment, validated. */
export interface Config {
  readonly databaseUrl: string;
  /** Read replicas of `databaseUrl` (`DATABASE_REPLICA_URLS`, comma-separated); reads are routed to them. */
  readonly replicaUrls: readonly string[];
  readonly port: number;
  readonly host: string;
  /** Most connections the pool opens (`DB_POOL_MAX`). */
  readonly poolMax: number;
  /** Longest a request waits for a pooled connection before a 503 (`DB_ACQUIRE_TIMEOUT_MS`). */
  readonly acquireTimeoutMs: number;
  /** Longest one statement may run before the database cancels it (`DB_STATEMENT_TIMEOUT_MS`). */
  readonly statementTimeoutMs: number;
  readonly logLevel: LogLevel;
  /** Seconds an `Idempotency-Key` is kept and replayed (`IDEMPOTENCY_TTL_S`). */
  readonly idempotencyTtlSeconds: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULTS = {
  DATABASE_URL: 'pglite://memory',
  DATABASE_REPLICA_URLS: '',
  PORT: '3000',
  HOST: '127.0.0.1',
  DB_POOL_MAX: '10',
  DB_ACQUIRE_TIMEOUT_MS: '2000',
  DB_STATEMENT_TIMEOUT_MS: '10000',
  LOG_LEVEL: 'info',
  IDEMPOTENCY_TTL_S: '86400',
} as const;

/** A configuration value the service cannot start with. Its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** An empty variable counts as unset, as container tooling often passes `VAR=` for "use the default". */
function read(env: NodeJS.ProcessEnv, name: keyof typeof DEFAULTS): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? DEFAULTS[name] : value.trim();
}

function integer(env: NodeJS.ProcessEnv, name: keyof typeof DEFAULTS, min: number, max: number): number {
  const text = read(env, name);
  // Digits only: `Number()` would also take "1e3", "0x10" or "12.0", which nobody means in a config file.
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function databaseUrl(env: NodeJS.ProcessEnv): string {
  const url = read(env, 'DATABASE_URL');
  const colon = url.indexOf(':');
  const scheme = colon > 0 ? url.slice(0, colon).toLowerCase() : '';
  if (!Object.hasOwn(ADAPTER_PACKAGES, scheme)) {
    const known = Object.keys(ADAPTER_PACKAGES)
      .map((s) => `${s}://`)
      .join(', ');
    throw new ConfigError(
      `DATABASE_URL has an unsupported scheme ${JSON.stringify(scheme ? `${scheme}:` : url)}: use one of ${known}`,
    );
  }
  return url;
}

/**
 * `DATABASE_REPLICA_URLS`: read replicas of `DATABASE_URL`, comma-separated, of the same kind of database
 * (empty: none).
 */
function replicaUrls(env: NodeJS.ProcessEnv, primary: string): string[] {
  const text = read(env, 'DATABASE_REPLICA_URLS');
  if (text === '') return [];
  const family = (url: string) => {
    const colon = url.indexOf(':');
    const scheme = colon > 0 ? url.slice(0, colon).toLowerCase() : '';
    return Object.hasOwn(ADAPTER_PACKAGES, scheme) ? ADAPTER_PACKAGES[scheme]!.package : undefined;
  };
  const urls = text.split(',').map((u) => u.trim());
  for (const url of urls) {
    if (url === '' || family(url) === undefined || family(url) !== family(primary)) {
      throw new ConfigError(
        'DATABASE_REPLICA_URLS must be comma-separated URLs of the same kind of database as DATABASE_URL',
      );
    }
  }
  return urls;
}

/** Reads and validates the configuration; throws `ConfigError` on the first bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = read(env, 'LOG_LEVEL').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`,
    );
  }
  const primary = databaseUrl(env);
  return {
    databaseUrl: primary,
    replicaUrls: replicaUrls(env, primary),
    port: integer(env, 'PORT', 0, 65_535),
    host: read(env, 'HOST'),
    poolMax: integer(env, 'DB_POOL_MAX', 1, 1_000),
    acquireTimeoutMs: integer(env, 'DB_ACQUIRE_TIMEOUT_MS', 1, 600_000),
    statementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 1, 3_600_000),
    logLevel: logLevel as LogLevel,
    // Up to a year: keys are for retries, and the table holds one row per keyed write for that long.
    idempotencyTtlSeconds: integer(env, 'IDEMPOTENCY_TTL_S', 1, 31_536_000),
  };
}
