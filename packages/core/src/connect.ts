import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Database, type DatabaseOptions } from './database.js';
import { type Adapter, DEFAULT_CONNECT_TIMEOUT_MS, type DriverOptions } from './driver/driver.js';
import { AdapterNotInstalledError } from './errors/adapter-not-installed-error.js';
import { DatabaseUnreachableError } from './errors/database-unreachable-error.js';
import { DriverNotInstalledError } from './errors/driver-not-installed-error.js';
import { InvalidAdapterError } from './errors/invalid-adapter-error.js';
import { TlsError } from './errors/tls-error.js';
import { ValidationError } from './errors/validation-error.js';
import { describeDatabaseUrl, formatDatabaseTarget } from './url/describe-database-url.js';

/** URL schemes berth knows, with the adapter package that serves each and its driver. */
export const ADAPTER_PACKAGES: Readonly<
  Record<
    string,
    {
      /** The adapter package `connect()` loads for the scheme, e.g. `@berth/postgres`. */
      package: string;
      /** The driver the adapter loads in turn, a peer dependency to install beside it, e.g. `pg`. */
      driver: string;
    }
  >
> = {
  postgres: { package: '@berth/postgres', driver: 'pg' },
  postgresql: { package: '@berth/postgres', driver: 'pg' },
  mysql: { package: '@berth/mysql', driver: 'mysql2' },
  mariadb: { package: '@berth/mysql', driver: 'mysql2' },
  mongodb: { package: '@berth/mongodb', driver: 'mongodb' },
  'mongodb+srv': { package: '@berth/mongodb', driver: 'mongodb' },
  pglite: { package: '@berth/pglite', driver: '@electric-sql/pglite' },
};

/** What `connect(url, options)` takes: the database's options, with replicas given as URLs. */
export interface ConnectOptions extends Omit<DatabaseOptions, 'replicas'> {
  /** Options mapped onto the driver's native pool (size, timeouts), plus the pool contract's own. */
  pool?: DatabaseOptions['pool'] & DriverOptions;
  /**
   * Loads an adapter package by name. The default imports it from berth's own location, then from the
   * application's (the working directory and the entry script). Pass `(name) => import(name)` from your
   * code when a bundler or a monorepo layout needs the import to start from there.
   */
  importAdapter?: (packageName: string) => Promise<unknown>;
  /**
   * By default `connect()` makes one round trip before it returns, so a wrong host, a missing database or
   * refused credentials fail here, with `DatabaseUnreachableError`, and not at the first query. `lazy: true`
   * skips it (a service that must start before its database, say): errors then surface at first use.
   */
  lazy?: boolean;
  /**
   * URLs of read replicas of the database at `url`, of the same backend: each gets its own pool (the same
   * `pool` options). Reads outside transactions are routed to a replica that has replayed the reader's
   * position, else to the primary (see `Database.withSession`). Backends without replication positions
   * refuse them with `UnsupportedFeatureError`.
   */
  replicas?: readonly string[];
}

/**
 * True when `error` is the resolver saying `packageName` itself (or a subpath of it) is missing. The name
 * must be the quoted specifier: a missing driver imported by an installed adapter names the adapter too,
 * in the importer's path, and must not read as a missing adapter.
 */
function isModuleNotFound(error: unknown, packageName: string): boolean {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? '';
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' ||
      e?.code === 'MODULE_NOT_FOUND' ||
      /Cannot find (module|package)/.test(message)) &&
    [`'${packageName}'`, `'${packageName}/`, `"${packageName}"`, `"${packageName}/`].some((quoted) =>
      message.includes(quoted),
    )
  );
}

/** `isModuleNotFound` for `error` or any error in its chain of causes (adapters may wrap the resolver's). */
function causedByMissing(error: unknown, packageName: string): boolean {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isModuleNotFound(e, packageName)) return true;
  }
  return false;
}

async function defaultImport(packageName: string): Promise<unknown> {
  try {
    return await import(packageName);
  } catch (error) {
    if (!isModuleNotFound(error, packageName)) throw error;
  }
  // berth itself may sit where the application's dependencies are out of reach (pnpm's strict layout):
  // resolve from the application instead.
  const bases = [join(process.cwd(), 'noop.js'), process.argv[1]].filter((b): b is string => Boolean(b));
  for (const base of bases) {
    try {
      const resolved = createRequire(base).resolve(packageName);
      return await import(pathToFileURL(resolved).href);
    } catch (error) {
      if (!isModuleNotFound(error, packageName)) throw error;
    }
  }
  throw Object.assign(new Error(`Cannot find package '${packageName}'`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/**
 * Opens a database by URL. The scheme picks the adapter (`postgres:`/`postgresql:`, `mysql:`/`mariadb:`,
 * `mongodb:`/`mongodb+srv:`, `pglite:`), which is loaded only then, so an application installs only the
 * adapters it uses. A missing adapter fails with `AdapterNotInstalledError`, an installed adapter whose
 * driver is missing with `DriverNotInstalledError`; each one-line message names the package to install.
 * Unless `lazy`, one round trip proves the database answers before it returns (`DatabaseUnreachableError`
 * otherwise, naming the target without credentials; a TLS failure is thrown as the adapter's `TlsError`,
 * unwrapped).
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Database> {
  const colon = typeof url === 'string' ? url.indexOf(':') : -1;
  const scheme = colon > 0 ? url.slice(0, colon).toLowerCase() : '';
  const known = Object.hasOwn(ADAPTER_PACKAGES, scheme) ? ADAPTER_PACKAGES[scheme] : undefined;
  if (!known) {
    throw new ValidationError(
      `unsupported database URL scheme "${scheme}": use one of ${Object.keys(ADAPTER_PACKAGES)
        .map((s) => `${s}:`)
        .join(', ')}`,
    );
  }
  try {
    return await open(url, scheme, known, options);
  } catch (error) {
    // Adapters load their driver (a peer dependency) on import or when they open their pool.
    if (causedByMissing(error, known.driver))
      throw new DriverNotInstalledError(scheme, known.package, known.driver, { cause: error });
    throw error;
  }
}

async function open(
  url: string,
  scheme: string,
  known: { package: string; driver: string },
  options: ConnectOptions,
): Promise<Database> {
  let module: unknown;
  try {
    module = await (options.importAdapter ?? defaultImport)(known.package);
  } catch (error) {
    if (isModuleNotFound(error, known.package) && !causedByMissing(error, known.driver))
      throw new AdapterNotInstalledError(scheme, known.package, known.driver);
    throw error;
  }
  const adapter = (module as { adapter?: Adapter } | null | undefined)?.adapter;
  if (!adapter || typeof adapter.createDriver !== 'function') {
    throw new InvalidAdapterError(known.package);
  }
  const replicas = [];
  for (const replicaUrl of options.replicas ?? []) {
    const replicaColon = typeof replicaUrl === 'string' ? replicaUrl.indexOf(':') : -1;
    const replicaScheme = replicaColon > 0 ? replicaUrl.slice(0, replicaColon).toLowerCase() : '';
    if (ADAPTER_PACKAGES[replicaScheme]?.package !== known.package) {
      throw new ValidationError(
        `a replica URL must name the same kind of database as the primary (${scheme}:)`,
      );
    }
    replicas.push({
      driver: await adapter.createDriver(replicaUrl, options.pool ?? {}),
      name: formatDatabaseTarget(describeDatabaseUrl(replicaUrl)),
    });
  }
  const driver = await adapter.createDriver(url, options.pool ?? {});
  const unreachable = (error: unknown): Error =>
    // A TLS refusal is the configuration's or the server's certificate's fault, not reachability's:
    // retrying cannot help, so it keeps its own type (and its reason); so does an option refused up front.
    error instanceof TlsError || error instanceof ValidationError
      ? error
      : new DatabaseUnreachableError(formatDatabaseTarget(describeDatabaseUrl(url)), error);
  let db: Database;
  try {
    // A driver that connects when it opens (MongoDB's does) fails here, before the round trip below.
    db = await Database.open(driver, { ...options, replicas });
  } catch (error) {
    throw unreachable(error);
  }
  if (options.lazy) return db;
  try {
    await proveReachable(db, options.pool?.connectTimeoutMs);
  } catch (error) {
    await db.close(0).catch(() => undefined);
    throw unreachable(error);
  }
  return db;
}

/**
 * How much longer than `connectTimeoutMs` `connect()` waits for its first connection: the driver's own
 * connect timeout then fires first and is the reported cause (with its reason), while the pool's deadline
 * stays a net for a driver that does not keep its timeout.
 */
const FIRST_CONNECTION_MARGIN_MS = 1_000;

/**
 * The round trip that proves the database answers. Its wait for the first connection is bounded by what
 * opening one may take (`connectTimeoutMs`, `DEFAULT_CONNECT_TIMEOUT_MS` unset, plus a margin) when that is
 * longer than the acquire deadline: the deadline is tuned for requests waiting on a warm pool, and cutting
 * the first connection short would report a database that is slow to accept (a cold serverless instance,
 * a TLS handshake far away) as unreachable, with a pool timeout for a cause.
 */
async function proveReachable(db: Database, connectTimeoutMs: number | undefined): Promise<void> {
  const pool = db.pool;
  const firstConnectionMs = (connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) + FIRST_CONNECTION_MARGIN_MS;
  const lease = await pool.acquire(Math.max(pool.acquireTimeoutMs, firstConnectionMs));
  try {
    await lease.connection.ping();
  } finally {
    await pool.release(lease);
  }
}
