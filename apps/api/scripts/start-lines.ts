import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';

/** Where `pnpm start` keeps its embedded database when DATABASE_URL is unset, below the working directory. */
export const DEFAULT_DATA_DIR = join('.data', 'pglite');

/**
 * The database of a development start without DATABASE_URL: embedded PGlite kept in `.data/pglite` (git
 * ignores `.data/`). On disk rather than in memory because PGlite's first boot creates a cluster (initdb),
 * which costs most of a start; reopening an existing one costs about a second. The service's own default
 * (`pglite://memory`) is unchanged: `DATABASE_URL=pglite://memory pnpm start` still starts empty.
 */
export function defaultDatabaseUrl(cwd: string): { url: string; directory: string } {
  const directory = join(cwd, DEFAULT_DATA_DIR);
  return { url: `pglite://${directory}`, directory };
}

/** The URL without its password, as the service prints it. */
function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1:***@');
}

/** Whether `directory` holds a PostgreSQL cluster already (PGlite's initdb writes PG_VERSION first). */
export function hasEmbeddedDatabase(directory: string): boolean {
  return existsSync(join(directory, 'PG_VERSION'));
}

/**
 * The line printed before the service starts: what runs, on which database, and what a first start costs.
 * An embedded database on disk is "opened" when `hasDatabase` finds it (relative folders are taken from
 * `cwd`, as PGlite takes them), else "created on this start, which takes longer".
 */
export function startMessage(
  databaseUrl: string,
  cwd: string = process.cwd(),
  hasDatabase: (directory: string) => boolean = hasEmbeddedDatabase,
): string {
  let database: string;
  if (!databaseUrl.startsWith('pglite://')) database = redact(databaseUrl);
  else if (databaseUrl === 'pglite://memory')
    database = 'embedded PGlite in memory (its first boot takes a few seconds)';
  else {
    const directory = databaseUrl.slice('pglite://'.length);
    database = hasDatabase(resolve(cwd, directory))
      ? `embedded PGlite in ${directory} (opened)`
      : `embedded PGlite in ${directory} (created on this start, which takes longer)`;
  }
  return `berth-api: starting from the TypeScript sources on ${database}; "pnpm start:prod" builds and runs dist/`;
}

/** The address a client on this machine reaches a server listening on `host` at. */
function reachable(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host.replace(/^\[|\]$/g, '');
}

/** Whether a TCP connection to the address opens; the socket is closed at once and never holds the loop. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.unref();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Resolves with the "ready" line once the service accepts TCP connections (it listens only after the
 * database and the schema are ready), or with undefined when PORT is 0 or not a port (the kernel's pick
 * cannot be known from outside; the service itself refuses a bad PORT). Polls every 100 ms with timers
 * that never keep the process alive, so a service that stops or fails is not held up.
 */
export async function waitUntilReady(env: NodeJS.ProcessEnv, started: number): Promise<string | undefined> {
  const portText = env.PORT?.trim() || '3000';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
  if (port <= 0 || port > 65_535) return undefined;
  const address = reachable(env.HOST?.trim() || '127.0.0.1');
  while (!(await accepts(address, port))) {
    await new Promise((resolve) => setTimeout(resolve, 100).unref());
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const base = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return `berth-api: ready in ${seconds} s on ${base} (try ${base}/health; API reference at ${base}/docs)`;
}

/**
 * What the development start adds to the service, run before `src/main.ts`: the default database (see
 * `defaultDatabaseUrl`), one line on stderr saying what starts, and one when the service accepts
 * connections. `env` is changed in place: it is the environment the service reads.
 */
export function prepareStart(env: NodeJS.ProcessEnv, cwd: string, started: number): void {
  if (env.DATABASE_URL === undefined || env.DATABASE_URL.trim() === '') {
    const { url, directory } = defaultDatabaseUrl(cwd);
    mkdirSync(directory, { recursive: true });
    env.DATABASE_URL = url;
  }
  process.stderr.write(`${startMessage(env.DATABASE_URL, cwd)}\n`);
  void waitUntilReady(env, started).then((line) => {
    if (line) process.stderr.write(`${line}\n`);
  });
}
