import { connect, DatabaseUnreachableError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { SERVER_URL, TEST_URL } from './support/test-env.js';
import { serverAvailable } from './support/test-server.js';

const importAdapter = () => import('../src/index.js');

describe.skipIf(!serverAvailable())('connect() proves the database answers', () => {
  it('opens a reachable database', async () => {
    const db = await connect(TEST_URL, { importAdapter, pool: { max: 2 } });
    try {
      await db.ping();
    } finally {
      await db.close();
    }
  });

  it('fails at connect, not at the first query, for a database that does not exist', async () => {
    const server = new URL(SERVER_URL);
    const url = `mysql://root@${server.host}/berth_no_such_database`;
    const error = await connect(url, { importAdapter, pool: { acquireTimeoutMs: 3_000 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    const e = error as DatabaseUnreachableError;
    expect(e.target).toBe(`mysql://${server.host}/berth_no_such_database`);
    expect(e.message).toMatch(/Unknown database 'berth_no_such_database'/);
  });

  it('fails at connect for refused credentials, without echoing them', async () => {
    const server = new URL(SERVER_URL);
    const url = `mysql://berth_nobody:SECRETPASS@${server.host}/berth_no_such_database`;
    const error = await connect(url, { importAdapter, pool: { acquireTimeoutMs: 3_000 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toMatch(/Access denied/);
    expect((error as Error).message).not.toContain('SECRETPASS');
  });

  it('with lazy: true, opens anyway and fails at first use', async () => {
    const db = await connect(`${SERVER_URL.replace(/\/+$/, '')}/berth_no_such_database`, {
      importAdapter,
      lazy: true,
      pool: { acquireTimeoutMs: 3_000 },
    });
    try {
      await expect(db.ping()).rejects.toThrow();
    } finally {
      await db.close();
    }
  });
});
