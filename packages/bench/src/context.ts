import { Database, defineEntity, field, type PoolOptions } from '@berth/core';
import { MysqlDriver, mysql2PoolOptions } from '@berth/mysql';
import { PostgresDriver, toPgPoolConfig } from '@berth/postgres';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { Employee, User } from '../../../apps/api/src/entities.js';
import { log } from './harness/log.js';

export { Employee, User };

/**
 * Rows of a bulk insert (B5): the employee's columns without secondary indexes, so the figure shows the
 * client side's cost, not index maintenance.
 */
export const BulkRow = defineEntity('bench_bulk', {
  id: field.id(),
  name: field.string({ min: 1, max: 200 }),
  email: field.string({ min: 3, max: 254 }),
  department: field.string({ min: 1, max: 100 }),
  salary: field.integer({ min: 0 }),
  active: field.boolean().default(true),
  hiredAt: field.datetime(),
  managerId: field.string({ max: 36 }).nullable(),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});

export const ENTITIES = [Employee, User, BulkRow] as const;
export type BackendName = 'postgres' | 'mysql';
/** The bench's database; `BENCH_DB_SUFFIX` gives concurrent runs on a shared server their own. */
export const DATABASE = `berth_bench${process.env.BENCH_DB_SUFFIX ?? ''}`;
export const DEPARTMENTS = Array.from({ length: 10 }, (_, i) => `dept-${i}`);

export interface Locations {
  /** PostgreSQL server URL without database (the bench creates and drops its own). */
  postgres: { host: string; port: number; user: string; password?: string };
  mysql: { host: string; port: number; user: string; password?: string };
}

export function locations(): Locations {
  const env = process.env;
  return {
    postgres: {
      host: env.BENCH_PG_HOST ?? '127.0.0.1',
      port: Number(env.BENCH_PG_PORT ?? 5432),
      user: env.BENCH_PG_USER ?? 'postgres',
      ...(env.BENCH_PG_PASSWORD ? { password: env.BENCH_PG_PASSWORD } : {}),
    },
    mysql: {
      host: env.BENCH_MYSQL_HOST ?? '127.0.0.1',
      port: Number(env.BENCH_MYSQL_PORT ?? 3306),
      user: env.BENCH_MYSQL_USER ?? 'root',
      ...(env.BENCH_MYSQL_PASSWORD ? { password: env.BENCH_MYSQL_PASSWORD } : {}),
    },
  };
}

export function pgUrl(database = DATABASE): string {
  const l = locations().postgres;
  const auth = l.password ? `${encodeURIComponent(l.user)}:${encodeURIComponent(l.password)}` : l.user;
  return `postgres://${auth}@${l.host}:${l.port}/${database}`;
}

export function mysqlUrl(database = DATABASE): string {
  const l = locations().mysql;
  const auth = l.password ? `${encodeURIComponent(l.user)}:${encodeURIComponent(l.password)}` : l.user;
  return `mysql://${auth}@${l.host}:${l.port}/${database}`;
}

/** Pool options of every berth database the bench opens: the defaults, plus a generous acquire deadline. */
export const BERTH_POOL: PoolOptions = { acquireTimeoutMs: 30_000 };

export interface BerthOptions {
  max: number;
  /** PostgreSQL only: named prepared statements. */
  prepared?: boolean;
  /** PostgreSQL only: reads pipelined on shared connections (`pipeline: true`), spread or packed. */
  pipeline?: boolean | 'pack';
  pool?: PoolOptions;
}

/** Opens berth as the docs show: `Database.open(new XDriver({...}), { entities, pool })`. */
export async function openBerth(backend: BackendName, options: BerthOptions): Promise<Database> {
  const pool = { ...BERTH_POOL, ...options.pool };
  if (backend === 'postgres') {
    const driver = new PostgresDriver({
      url: pgUrl(),
      max: options.max,
      preparedStatements: options.prepared ?? false,
      ...(options.pipeline
        ? { pipeline: true, pipelineFill: options.pipeline === 'pack' ? 'pack' : 'spread' }
        : {}),
    });
    return Database.open(driver, { entities: [...ENTITIES], pool });
  }
  const l = locations().mysql;
  const driver = new MysqlDriver({ ...l, database: DATABASE, max: options.max });
  return Database.open(driver, { entities: [...ENTITIES], pool });
}

/**
 * Where a read replica of the bench's server is, for B10: PostgreSQL `BENCH_PG_REPLICA_PORT` (default 5433,
 * the streaming replica `scripts/scale-out/up.sh` starts, which replicates the whole cluster, the bench's
 * database included); MySQL/MariaDB only with `BENCH_MYSQL_REPLICA_PORT` (the machine's MariaDB on 3306 has
 * no replica: run with `BENCH_MYSQL_PORT=3310 BENCH_MYSQL_REPLICA_PORT=3311`, the scale-out pair).
 */
export function replicaPort(backend: BackendName): number | undefined {
  const env = process.env;
  if (backend === 'postgres') return Number(env.BENCH_PG_REPLICA_PORT ?? 5433);
  return env.BENCH_MYSQL_REPLICA_PORT === undefined ? undefined : Number(env.BENCH_MYSQL_REPLICA_PORT);
}

/** A berth driver on the bench's database at `port` of the bench's host (a replica's, or the primary's). */
function driverAt(backend: BackendName, port: number, max: number) {
  if (backend === 'postgres') {
    const url = new URL(pgUrl());
    url.port = String(port);
    return new PostgresDriver({ url: url.href, max });
  }
  return new MysqlDriver({ ...locations().mysql, port, database: DATABASE, max });
}

/** berth with read replicas at these ports (each a driver of `max` connections), as the docs show. */
export async function openBerthWithReplicas(
  backend: BackendName,
  max: number,
  replicaPorts: readonly number[],
): Promise<Database> {
  const primaryPort = backend === 'postgres' ? locations().postgres.port : locations().mysql.port;
  return Database.open(driverAt(backend, primaryPort, max), {
    entities: [...ENTITIES],
    pool: BERTH_POOL,
    replicas: replicaPorts.map((port, i) => ({ driver: driverAt(backend, port, max), name: `replica-${i}` })),
  });
}

/** A raw `pg.Pool` with the very pool settings berth's PostgreSQL driver gives its own. */
export function rawPgPool(max: number): pg.Pool {
  return new pg.Pool(toPgPoolConfig(pgUrl(), { max }) as pg.PoolConfig);
}

/**
 * A raw mysql2 pool with the very options berth's MySQL driver gives its own, except the queue: berth's
 * pool queues callers in front of mysql2's (whose queue it caps at `max`), the raw pool must queue itself.
 */
export function rawMysqlPool(max: number): mysql.Pool {
  const l = locations().mysql;
  const options = mysql2PoolOptions({ ...l, database: DATABASE, max }, max);
  return mysql.createPool({ ...options, queueLimit: 0 } as unknown as mysql.PoolOptions);
}

/** Creates the bench databases afresh. */
export async function createDatabases(backends: readonly BackendName[]): Promise<void> {
  if (backends.includes('postgres')) {
    const admin = new pg.Client({ connectionString: pgUrl('postgres') });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
  }
  if (backends.includes('mysql')) {
    const l = locations().mysql;
    const admin = await mysql.createConnection({ ...l });
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
      await admin.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4`);
    } finally {
      await admin.end();
    }
  }
}

/** Drops the bench databases. */
export async function dropDatabases(backends: readonly BackendName[]): Promise<void> {
  if (backends.includes('postgres')) {
    const admin = new pg.Client({ connectionString: pgUrl('postgres') });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  if (backends.includes('mysql')) {
    const admin = await mysql.createConnection({ ...locations().mysql });
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    } finally {
      await admin.end();
    }
  }
}

/** A deterministic pseudo-random generator (mulberry32), so every run seeds the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Dataset {
  /** Ids of the seeded employees, in insertion order. */
  employeeIds: string[];
}

/** An employee's insert data for sequence number `i` (unique email per `tag`). */
export function employeeData(i: number, tag: string, random: () => number = rng(i + 1)) {
  return {
    name: `Employee ${tag}-${i}`,
    email: `e${tag}-${i}@example.com`,
    department: DEPARTMENTS[i % DEPARTMENTS.length]!,
    salary: 30_000 + Math.floor(random() * 170_000),
    active: i % 7 !== 0,
    hiredAt: new Date(Date.UTC(2010, 0, 1) + Math.floor(random() * 4_000) * 86_400_000),
  };
}

/** Creates the schema through berth (`ensureSchema`) and seeds `count` employees. */
export async function seed(backend: BackendName, count: number): Promise<Dataset> {
  const db = await openBerth(backend, { max: 2 });
  try {
    await db.ensureSchema();
    const employees = db.repository(Employee);
    const random = rng(42);
    const ids: string[] = [];
    const chunk = 2_000;
    for (let start = 0; start < count; start += chunk) {
      const data = Array.from({ length: Math.min(chunk, count - start) }, (_, k) =>
        employeeData(start + k, 'seed', random),
      );
      const rows = await employees.insertMany(data);
      for (const r of rows) ids.push(r.id);
    }
    log(`${backend}: seeded ${count} employees`);
    return { employeeIds: ids };
  } finally {
    await db.close();
  }
}
