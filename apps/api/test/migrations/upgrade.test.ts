import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Database,
  SchemaDriftError,
  connect,
  defineEntity,
  field,
  migrateUp,
  migrationStatus,
  planMigration,
} from '@berth/core';
import { flavourDir, readMigrationFiles } from '@berth/core/cli';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTITIES, Employee, IdempotencyRecord, MAX_SALARY, User } from '../../src/entities.js';
import { unreachable } from '../e2e/support/backend-gate.js';

/**
 * `employees` as an older release of the service declared it: before `active` and `managerId` were added. A database that
 * release made (with ensureSchema, as it did at start) is what an upgrade meets.
 */
const OlderEmployee = defineEntity('employees', {
  id: field.id(),
  name: field.string({ min: 1, max: 200 }).index(),
  email: field.string({ min: 3, max: 254 }).unique(),
  department: field.string({ min: 1, max: 100 }).index(),
  salary: field.integer({ min: 0, max: MAX_SALARY }).index(),
  hiredAt: field.datetime().index(),
  version: field.version(),
  createdAt: field.createdAt().index(),
  updatedAt: field.updatedAt(),
});

const DATABASE = `berth_api_upgrade${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL_SERVER = { host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 3_000 };

async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_SERVER, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function mysqlAdmin(sql: string): Promise<void> {
  const connection = await mysql.createConnection(MYSQL_SERVER);
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

const backends = [
  { name: 'pglite', url: 'pglite://memory', skip: false, create: async () => {}, drop: async () => {} },
  {
    name: 'postgres',
    url: `postgres://postgres@127.0.0.1:5432/${DATABASE}`,
    skip: await pgAdmin('SELECT 1').then(
      () => false,
      (error) => unreachable('PostgreSQL', PG_SERVER, error),
    ),
    create: async () => {
      await pgAdmin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await pgAdmin(`CREATE DATABASE ${DATABASE}`);
    },
    drop: () => pgAdmin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`),
  },
  {
    name: 'mysql',
    url: `mysql://root@127.0.0.1:3306/${DATABASE}`,
    skip: await mysqlAdmin('SELECT 1').then(
      () => false,
      (error) => unreachable('MySQL/MariaDB', 'mysql://root@127.0.0.1:3306', error),
    ),
    create: async () => {
      await mysqlAdmin(`DROP DATABASE IF EXISTS ${DATABASE}`);
      await mysqlAdmin(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4`);
    },
    drop: () => mysqlAdmin(`DROP DATABASE IF EXISTS ${DATABASE}`),
  },
];

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// MongoDB is not here: its documents have no columns, so the change needs no migration (old documents
// lack `active`); its shipped module is checked by the e2e suite.
describe('upgrading a database an older release made', { timeout: 120_000 }, () => {
  for (const backend of backends) {
    it.skipIf(backend.skip)(
      `${backend.name}: the new release refuses to start over it, the generated migration applies with up, then it starts and old rows read`,
      async () => {
        await backend.create();
        const db: Database = await connect(backend.url, {
          entities: [],
          pool: { max: 2 },
          importAdapter: (name) => import(name),
        });
        try {
          await db.ensureSchema([OlderEmployee, User, IdempotencyRecord]);
          const old = await db.repository(OlderEmployee).insert({
            name: 'Ada',
            email: 'ada@example.com',
            department: 'R&D',
            salary: 100,
            hiredAt: new Date('2020-01-01T00:00:00Z'),
          });

          // The new release's start-up check names the missing column instead of failing at a query.
          const refused = await db.ensureSchema(ENTITIES).then(
            () => undefined,
            (error: unknown) => error,
          );
          expect(refused).toBeInstanceOf(SchemaDriftError);
          // Named before any index or foreign key on the missing column is attempted.
          expect((refused as SchemaDriftError).differences).toEqual([
            'employees: column active is missing',
            'employees: column managerId is missing',
          ]);

          // What a developer does: generate from the entities, review, ship the file, `berth migrate up`.
          const plan = await planMigration(db, ENTITIES, 'add_active');
          expect(plan.steps.map((s) => s.kind)).toEqual([
            'addColumn',
            'addColumn',
            'createIndex',
            'addForeignKey',
          ]);
          const root = await mkdtemp(join(tmpdir(), 'berth-api-upgrade-'));
          dirs.push(root);
          const dir = flavourDir(root, plan.flavour);
          await mkdir(dir, { recursive: true });
          await writeFile(join(dir, `20990101T000000_add_active${plan.extension}`), plan.text);
          const sources = await readMigrationFiles(dir, plan.extension);
          expect((await migrateUp(db, sources)).applied).toEqual(['20990101T000000_add_active']);

          const status = await migrationStatus(db, sources, ENTITIES);
          expect(status.drift.steps).toEqual([]);
          expect(status.pending).toEqual([]);
          await db.ensureSchema(ENTITIES);
          // The NOT NULL column was added with its constant default, so the old row has it.
          expect(await db.repository(Employee).findById(old.id)).toMatchObject({
            name: 'Ada',
            active: true,
            managerId: null,
          });
        } finally {
          await db.close();
          await backend.drop();
        }
      },
    );
  }
});
