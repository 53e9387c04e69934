import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, defineEntity, field } from '@berth/core';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { missingDatabaseHint } from '../../src/missing-database.js';
import { unreachable } from '../e2e/support/backend-gate.js';
import { runToExit } from './child.js';

const run = promisify(execFile);
const NAME = `berth_api_missing${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const Thing = defineEntity('things', { id: field.id(), name: field.string() });

/** The error the service gets from opening `url` and making its schema there. */
async function startError(url: string): Promise<unknown> {
  try {
    const db = await connect(url, { entities: [Thing], importAdapter: (name) => import(name) });
    try {
      await db.ensureSchema();
    } finally {
      await db.close();
    }
  } catch (error) {
    return error;
  }
  throw new Error(`${url} opened: the database exists`);
}

/** The command the hint names, run as the operator would paste it into a shell. */
function runHint(hint: string): Promise<unknown> {
  const command = /Create it with: (.+?) \((?:or|the mysql)/.exec(hint)?.[1];
  if (!command) throw new Error(`no command in: ${hint}`);
  return run('sh', ['-c', command]);
}

const pgAdmin = 'postgres://postgres@127.0.0.1:5432/postgres';
async function onPostgres(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgAdmin, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
async function onMysql(sql: string): Promise<void> {
  const client = await mysql.createConnection({ uri: 'mysql://root@127.0.0.1:3306', connectTimeout: 3_000 });
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const skipPostgres = await onPostgres('SELECT 1').then(
  () => false,
  (error) => unreachable('PostgreSQL', pgAdmin, error),
);
const skipMysql = await onMysql('SELECT 1').then(
  () => false,
  (error) => unreachable('MySQL/MariaDB', 'mysql://root@127.0.0.1:3306', error),
);

describe('a DATABASE_URL naming a database that does not exist', { timeout: 120_000 }, () => {
  afterAll(async () => {
    if (!skipPostgres) await onPostgres(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    if (!skipMysql) await onMysql(`DROP DATABASE IF EXISTS ${NAME}`);
  });

  it.skipIf(skipPostgres)('PostgreSQL: the hint names createdb, and that command makes it work', async () => {
    await onPostgres(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    const url = `postgres://postgres@127.0.0.1:5432/${NAME}`;
    const hint = missingDatabaseHint(url, await startError(url));
    expect(hint).toBe(
      `database "${NAME}" does not exist on the PostgreSQL server at 127.0.0.1:5432. Create it with: ` +
        `createdb -h 127.0.0.1 -p 5432 -U postgres ${NAME} (or, in psql: CREATE DATABASE "${NAME}";), then start again`,
    );
    await runHint(hint!);
    await expect(startError(url)).rejects.toThrow('the database exists');
  });

  it.skipIf(skipMysql)(
    'MariaDB: the hint names the client command, and that command makes it work',
    async () => {
      await onMysql(`DROP DATABASE IF EXISTS ${NAME}`);
      const url = `mysql://root@127.0.0.1:3306/${NAME}`;
      const hint = missingDatabaseHint(url, await startError(url));
      expect(hint).toBe(
        `database "${NAME}" does not exist on the MySQL/MariaDB server at 127.0.0.1:3306. Create it with: ` +
          `mariadb -h 127.0.0.1 -P 3306 -u root -e 'CREATE DATABASE \`${NAME}\`' (the mysql client takes the same options), then start again`,
      );
      await runHint(hint!);
      await expect(startError(url)).rejects.toThrow('the database exists');
    },
  );

  it.skipIf(skipPostgres)('never repeats a password: the command asks for it', async () => {
    await onPostgres(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    const error = await startError(`postgres://postgres@127.0.0.1:5432/${NAME}`);
    const hint = missingDatabaseHint(`postgres://postgres:s3cret@127.0.0.1:5432/${NAME}`, error);
    expect(hint).toContain(`createdb -h 127.0.0.1 -p 5432 -U postgres -W ${NAME}`);
    expect(hint).not.toContain('s3cret');
  });

  it('gives no hint for other failures (an unreachable server)', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/app';
    const error = await startError(url);
    expect(missingDatabaseHint(url, error)).toBeUndefined();
  });

  it.skipIf(skipPostgres)('the service exits 1 with the hint as its one line', async () => {
    await onPostgres(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    const { code, stderr } = await runToExit(
      { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${NAME}` },
      [],
      90_000,
    );
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^berth-api: database "${NAME}" does not exist .* Create it with: createdb `),
      ),
    ]);
  });
});
