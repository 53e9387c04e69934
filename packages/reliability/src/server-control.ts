import { execFile } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { promisify } from 'node:util';
import { MongoTestServer } from '@berth/mongo-test-server';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { FaultProxy } from './fault-proxy.js';

const run = promisify(execFile);

/** The backends the suite runs on. PGlite lives inside the app: no server, no proxy. */
export type BackendName = 'postgres' | 'mysql' | 'mongodb' | 'pglite';
export const BACKENDS: readonly BackendName[] = ['postgres', 'mysql', 'mongodb', 'pglite'];

/** The database the suite creates for itself and drops at the end. */
export const DATABASE = `berth_reliability${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
/** What the app's PostgreSQL connections call themselves, so the server can count them. */
export const APP_NAME = 'berth-reliability';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How a restart was done and when (`performance.now()`): the server was going away from `stoppingAt` (the
 * stop was ordered) until `goneAt` (it had stopped), and accepted connections again at `acceptingAt`.
 */
export interface RestartOutcome {
  readonly how: 'real' | 'simulated';
  readonly stoppingAt: number;
  readonly goneAt: number;
  readonly acceptingAt: number;
}

/** A foreign session holding a lock on the employees table, so the app's writes (or reads) block. */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Server-side control and truth for one backend: create and drop the suite's database, count the app's
 * connections and open transactions as the server sees them, kill them, restart the server, and hold
 * locks from a foreign session.
 */
export interface ServerControl {
  readonly backend: BackendName;
  /** Where the database listens, for the fault proxy (undefined for PGlite). */
  readonly target: { host: string; port: number } | undefined;
  /** The app's `DATABASE_URL`, through the proxy at `proxyPort`. */
  appUrl(proxyPort: number | undefined): string;
  /** Connects the admin session; recreates the suite's database empty. */
  setup(): Promise<void>;
  /** Drops the suite's database and closes the admin session. */
  teardown(): Promise<void>;
  /** Connections the app holds, as the server counts them. */
  appConnections(): Promise<number>;
  /** Transactions the app has open (begun, not ended), as the server sees them. */
  openTransactions(): Promise<number>;
  /** Kills every connection of the app server-side; how many. */
  killAppConnections(): Promise<number>;
  /** Restarts the server (really, or through the proxy where that is not safe), down for `downMs`. */
  restart(proxy: FaultProxy, downMs: number): Promise<RestartOutcome>;
  /** Locks the employees table from a foreign session (exclusive: reads and writes wait). */
  lockEmployees(): Promise<HeldLock>;
  /** Whether a row of `employees` with this id is committed, as a foreign session sees it. */
  employeeCommitted(id: string): Promise<boolean>;
}

/** Resolves when a TCP connection to host:port succeeds and `probe` passes; the time it did. */
async function waitAccepting(probe: () => Promise<void>, limitMs: number): Promise<number> {
  const deadline = performance.now() + limitMs;
  let last: unknown;
  while (performance.now() < deadline) {
    try {
      await probe();
      return performance.now();
    } catch (error) {
      last = error;
      await sleep(20);
    }
  }
  throw new Error(`the server did not accept connections again within ${limitMs} ms: ${String(last)}`);
}

function tcpProbe(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Restarts through the proxy: every connection reset, new ones refused for `downMs`, then healed. */
async function simulatedRestart(
  proxy: FaultProxy,
  downMs: number,
  killServerSide: () => Promise<unknown>,
): Promise<RestartOutcome> {
  const stoppingAt = performance.now();
  await proxy.setMode('refuse');
  proxy.resetAll();
  await killServerSide();
  const goneAt = performance.now();
  await sleep(downMs);
  await proxy.heal();
  return { how: 'simulated', stoppingAt, goneAt, acceptingAt: performance.now() };
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

const PG = { host: '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: 'postgres' };

class PostgresControl implements ServerControl {
  readonly backend = 'postgres' as const;
  readonly target = { host: PG.host, port: PG.port };
  #admin: pg.Client | undefined;

  appUrl(proxyPort: number | undefined): string {
    return `postgres://${PG.user}@127.0.0.1:${proxyPort}/${DATABASE}?application_name=${APP_NAME}`;
  }

  async #client(database = 'postgres'): Promise<pg.Client> {
    const client = new pg.Client({ ...PG, database, connectionTimeoutMillis: 3_000 });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** The admin session, reconnected after a restart. */
  async #query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.#admin ??= await this.#client();
        return (await this.#admin.query<R>(sql, values)).rows;
      } catch (error) {
        await this.#admin?.end().catch(() => undefined);
        this.#admin = undefined;
        if (attempt >= 2) throw error;
        await sleep(200);
      }
    }
  }

  async setup(): Promise<void> {
    await this.#query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await this.#query(`CREATE DATABASE ${DATABASE}`);
  }

  async teardown(): Promise<void> {
    await this.#query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`).catch(() => undefined);
    await this.#admin?.end().catch(() => undefined);
    this.#admin = undefined;
  }

  async appConnections(): Promise<number> {
    const rows = await this.#query<{ n: string }>(
      'SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = $2',
      [APP_NAME, DATABASE],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async openTransactions(): Promise<number> {
    const rows = await this.#query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity
        WHERE application_name = $1 AND datname = $2 AND xact_start IS NOT NULL AND state <> 'active'`,
      [APP_NAME, DATABASE],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async killAppConnections(): Promise<number> {
    const rows = await this.#query<{ n: string }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
        WHERE application_name = $1 AND datname = $2`,
      [APP_NAME, DATABASE],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async restart(proxy: FaultProxy, downMs: number): Promise<RestartOutcome> {
    if (process.env.RELIABILITY_SIMULATE_PG_RESTART === '1') {
      return simulatedRestart(proxy, downMs, () => this.killAppConnections());
    }
    await this.#admin?.end().catch(() => undefined);
    this.#admin = undefined;
    const cluster = process.env.PG_CLUSTER ?? '15 main';
    const [version = '15', name = 'main'] = cluster.split(' ');
    const stoppingAt = performance.now();
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'stop', '-m', 'fast']);
    const goneAt = performance.now();
    await sleep(downMs);
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start']);
    const acceptingAt = await waitAccepting(async () => {
      const client = await this.#client(DATABASE);
      await client.query('SELECT 1');
      await client.end();
    }, 30_000);
    return { how: 'real', stoppingAt, goneAt, acceptingAt };
  }

  async lockEmployees(): Promise<HeldLock> {
    const client = await this.#client(DATABASE);
    await client.query('BEGIN');
    await client.query('LOCK TABLE employees IN ACCESS EXCLUSIVE MODE');
    return {
      release: async () => {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.end().catch(() => undefined);
      },
    };
  }

  async employeeCommitted(id: string): Promise<boolean> {
    const client = await this.#client(DATABASE);
    try {
      const { rows } = await client.query('SELECT 1 FROM employees WHERE id = $1', [id]);
      return rows.length === 1;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// MariaDB / MySQL

const MY = { host: '127.0.0.1', port: Number(process.env.MYSQL_PORT ?? 3306), user: 'root' };

class MysqlControl implements ServerControl {
  readonly backend = 'mysql' as const;
  readonly target = { host: MY.host, port: MY.port };
  #admin: mysql.Connection | undefined;

  appUrl(proxyPort: number | undefined): string {
    return `mysql://${MY.user}@127.0.0.1:${proxyPort}/${DATABASE}`;
  }

  async #connection(database?: string): Promise<mysql.Connection> {
    const connection = await mysql.createConnection({ ...MY, database, connectTimeout: 3_000 });
    connection.on('error', () => undefined);
    return connection;
  }

  async #query<R>(sql: string, values: unknown[] = []): Promise<R[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.#admin ??= await this.#connection();
        const [rows] = await this.#admin.query(sql, values);
        return rows as R[];
      } catch (error) {
        this.#admin?.destroy();
        this.#admin = undefined;
        if (attempt >= 2) throw error;
        await sleep(200);
      }
    }
  }

  async setup(): Promise<void> {
    await this.#query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await this.#query(`CREATE DATABASE ${DATABASE}`);
  }

  async teardown(): Promise<void> {
    // The app's connections are gone by now; a foreign one left over would block the drop.
    await this.killAppConnections().catch(() => undefined);
    await this.#query(`DROP DATABASE IF EXISTS ${DATABASE}`).catch(() => undefined);
    await this.#admin?.end().catch(() => undefined);
    this.#admin = undefined;
  }

  /** The app's sessions: those in the suite's database, except the admin's own (which has none). */
  async #appThreads(): Promise<number[]> {
    const rows = await this.#query<{ id: number }>(
      'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [DATABASE],
    );
    return rows.map((r) => Number(r.id));
  }

  async appConnections(): Promise<number> {
    return (await this.#appThreads()).length;
  }

  async openTransactions(): Promise<number> {
    const rows = await this.#query<{ n: number }>(
      `SELECT count(*) AS n FROM information_schema.INNODB_TRX t
         JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
        WHERE p.DB = ? AND p.COMMAND = 'Sleep'`,
      [DATABASE],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async killAppConnections(): Promise<number> {
    let killed = 0;
    for (const id of await this.#appThreads()) {
      try {
        await this.#query(`KILL CONNECTION ${Number(id)}`);
        killed++;
      } catch {
        // already gone
      }
    }
    return killed;
  }

  /**
   * Real only with `RELIABILITY_REAL_MARIADB_RESTART=1`: the machine's MariaDB serves every test that runs
   * alongside, and it runs without a service manager, so a failed start would take it away from all of
   * them. Otherwise simulated: every server-side connection of the app killed, new ones refused at the
   * proxy for `downMs`, then healed.
   */
  async restart(proxy: FaultProxy, downMs: number): Promise<RestartOutcome> {
    if (process.env.RELIABILITY_REAL_MARIADB_RESTART !== '1') {
      return simulatedRestart(proxy, downMs, () => this.killAppConnections());
    }
    this.#admin?.destroy();
    this.#admin = undefined;
    const stoppingAt = performance.now();
    await run('sh', [
      '-c',
      'kill -TERM $(pidof mariadbd) && while pidof mariadbd >/dev/null; do sleep 0.1; done',
    ]);
    const goneAt = performance.now();
    await sleep(downMs);
    await run('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd']);
    const acceptingAt = await waitAccepting(async () => {
      const connection = await this.#connection(DATABASE);
      await connection.query('SELECT 1');
      await connection.end();
    }, 60_000);
    return { how: 'real', stoppingAt, goneAt, acceptingAt };
  }

  async lockEmployees(): Promise<HeldLock> {
    const connection = await this.#connection(DATABASE);
    await connection.query('LOCK TABLES employees WRITE');
    return {
      release: async () => {
        await connection.query('UNLOCK TABLES').catch(() => undefined);
        await connection.end().catch(() => connection.destroy());
      },
    };
  }

  async employeeCommitted(id: string): Promise<boolean> {
    const connection = await this.#connection(DATABASE);
    try {
      const [rows] = await connection.query('SELECT 1 FROM employees WHERE id = ?', [id]);
      return (rows as unknown[]).length === 1;
    } finally {
      await connection.end().catch(() => connection.destroy());
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// MongoDB, through the project's wire-compatible test server, run in this process

class MongoControl implements ServerControl {
  readonly backend = 'mongodb' as const;
  #server: MongoTestServer | undefined;

  get target() {
    if (!this.#server) return undefined;
    return { host: '127.0.0.1', port: Number(new URL(this.#server.url).port) };
  }

  get server(): MongoTestServer {
    if (!this.#server) throw new Error('the MongoDB test server is not started');
    return this.#server;
  }

  appUrl(proxyPort: number | undefined): string {
    return `mongodb://127.0.0.1:${proxyPort}/${DATABASE}?directConnection=true&appName=${APP_NAME}`;
  }

  async setup(): Promise<void> {
    if (this.#server) this.#server.reset();
    else this.#server = await MongoTestServer.start({ port: 0 });
  }

  async teardown(): Promise<void> {
    await this.#server?.stop();
    this.#server = undefined;
  }

  /** Every socket the test server has open: the app is its only client. */
  async appConnections(): Promise<number> {
    return this.server.connectionCount;
  }

  /** The test server aborts idle transactions itself; it does not expose them, so this reads 0. */
  async openTransactions(): Promise<number> {
    return 0;
  }

  async killAppConnections(): Promise<number> {
    const n = this.server.connectionCount;
    await this.server.dropAllConnections();
    return n;
  }

  /** A real restart of the test server (new process id, sessions and transactions gone), refused meanwhile. */
  async restart(proxy: FaultProxy, downMs: number): Promise<RestartOutcome> {
    const stoppingAt = performance.now();
    await proxy.setMode('refuse');
    proxy.resetAll();
    await this.server.restart();
    const goneAt = performance.now();
    await sleep(downMs);
    await proxy.heal();
    const target = this.target!;
    const acceptingAt = await waitAccepting(() => tcpProbe(target.host, target.port), 5_000);
    return { how: 'real', stoppingAt, goneAt, acceptingAt };
  }

  async lockEmployees(): Promise<HeldLock> {
    // No table locks in MongoDB: the test server leaves the app's writes unanswered instead.
    this.server.setBlackhole(true, { commands: ['insert', 'update', 'delete', 'findAndModify'] });
    return { release: async () => this.server.setBlackhole(false) };
  }

  async employeeCommitted(_id: string): Promise<boolean> {
    throw new Error('employeeCommitted is not available on the MongoDB test server');
  }
}

// ---------------------------------------------------------------------------------------------------
// PGlite: in the app's own process, so there is no server side to read or kill

class PgliteControl implements ServerControl {
  readonly backend = 'pglite' as const;
  readonly target = undefined;
  appUrl(): string {
    return 'pglite://memory';
  }
  async setup(): Promise<void> {}
  async teardown(): Promise<void> {}
  async appConnections(): Promise<number> {
    return 0;
  }
  async openTransactions(): Promise<number> {
    return 0;
  }
  async killAppConnections(): Promise<number> {
    throw new Error('PGlite runs inside the app: there is no server-side connection to kill');
  }
  async restart(): Promise<RestartOutcome> {
    throw new Error('PGlite runs inside the app: it cannot be restarted on its own');
  }
  async lockEmployees(): Promise<HeldLock> {
    throw new Error('PGlite runs inside the app: no foreign session can lock it');
  }
  async employeeCommitted(): Promise<boolean> {
    throw new Error('PGlite runs inside the app: no foreign session can read it');
  }
}

export function serverControl(backend: BackendName): ServerControl {
  switch (backend) {
    case 'postgres':
      return new PostgresControl();
    case 'mysql':
      return new MysqlControl();
    case 'mongodb':
      return new MongoControl();
    case 'pglite':
      return new PgliteControl();
  }
}

/** Whether the backend's server answers at all (for PGlite and MongoDB, always: they are in-process). */
export async function reachable(backend: BackendName): Promise<boolean> {
  try {
    if (backend === 'postgres') await tcpProbe(PG.host, PG.port);
    if (backend === 'mysql') await tcpProbe(MY.host, MY.port);
    return true;
  } catch {
    return false;
  }
}
