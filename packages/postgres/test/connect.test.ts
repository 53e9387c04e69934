import type { Server } from 'node:net';
import { connect, DatabaseUnreachableError } from '@berth/core';
import { freePort } from '@berth/testkit';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { databaseUrl, TEST_URL } from './support/server.js';

const importAdapter = () => import('../src/index.js');
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe.skipIf(!inject('postgresAvailable'))('connect() proves the database answers', () => {
  it('opens a reachable database and leaves it usable', async () => {
    const db = await connect(TEST_URL, { importAdapter, pool: { max: 2 } });
    try {
      await db.ping();
      expect(db.pool.stats().total).toBeGreaterThanOrEqual(1);
    } finally {
      await db.close();
    }
  });

  it('fails at connect, not at the first query, for a database that does not exist', async () => {
    const url = databaseUrl('berth_no_such_database').replace('postgres@', 'postgres:SECRETPASS@');
    const error = await connect(url, { importAdapter }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    const e = error as DatabaseUnreachableError;
    expect(e.code).toBe('DATABASE_UNREACHABLE');
    expect(e.target).toBe(`postgres://${new URL(TEST_URL).host}/berth_no_such_database`);
    expect(e.message).toContain('berth_no_such_database');
    expect(e.message).toContain('does not exist');
    for (const secret of ['SECRETPASS']) expect(e.message).not.toContain(secret);
  });

  it('fails at connect for a server that is not there, naming host and port', async () => {
    const port = await freePort();
    const error = await connect(`postgres://postgres@127.0.0.1:${port}/app`, {
      importAdapter,
      pool: { acquireTimeoutMs: 2_000, connectTimeoutMs: 1_000 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toContain(`postgres://127.0.0.1:${port}/app`);
  });

  it('with lazy: true, opens anyway and fails at first use', async () => {
    const db = await connect(databaseUrl('berth_no_such_database'), { importAdapter, lazy: true });
    try {
      await expect(db.ping()).rejects.toThrow(/does not exist/);
    } finally {
      await db.close();
    }
  });
});
