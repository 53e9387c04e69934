import {
  CommitOutcomeUnknownError,
  connect,
  ConnectionLostError,
  Database,
  DatabaseUnreachableError,
  StatementTimeoutError,
  ValidationError,
} from '@berth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../../src/index.js';
import { scaleOutServerProblem } from '../support/scale-out-server.js';
import { TEST_DATABASE } from '../support/server.js';

/** What `pgbouncer: true` switches, checked through a real PgBouncer in transaction mode. */
const BOUNCER_URL = process.env.PGBOUNCER_TEST_URL ?? 'postgres://postgres@127.0.0.1:6432';

function url(params: Record<string, string> = {}): string {
  const u = new URL(BOUNCER_URL);
  u.pathname = `/${TEST_DATABASE}`;
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

const up = (await scaleOutServerProblem('PgBouncer', url())) === undefined;

describe.skipIf(!up)('postgres behind PgBouncer: pgbouncer mode', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(
      new PostgresDriver({ url: url({ pgbouncer: 'true' }), max: 2, statementTimeoutMs: 300 }),
    );
  }, 30_000);
  afterAll(async () => {
    await db?.close();
  });

  it('refuses prepared statements with ValidationError, from the option or the URL', () => {
    expect(() => new PostgresDriver({ url: url(), pgbouncer: true, preparedStatements: true })).toThrow(
      ValidationError,
    );
    expect(() => new PostgresDriver({ url: url({ pgbouncer: 'true' }), preparedStatements: true })).toThrow(
      /PgBouncer/,
    );
  });

  it('without pgbouncer mode, a statement timeout fails to connect with a message that says what to do', async () => {
    const error = await connect(url(), { pool: { max: 1, statementTimeoutMs: 300 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect(String((error as Error).cause)).toMatch(/pgbouncer: true or \?pgbouncer=true/);
  });

  it('sets the statement timeout per transaction: a slow statement inside one is StatementTimeoutError', async () => {
    const error = await db
      .transaction(async (tx) => tx.sql`SELECT pg_sleep(2)`)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(StatementTimeoutError);
    // The SET LOCAL ended with its transaction: the next one is bounded the same way, and fast work passes.
    await expect(db.transaction(async (tx) => tx.sql`SELECT 1 AS one`)).resolves.toEqual([{ one: 1 }]);
    expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
  });

  it('bounds a lone slow statement client-side: the connection destroyed, no leak, never a retry invitation', async () => {
    const error = await db.sql`SELECT pg_sleep(2)`.then(
      () => undefined,
      (e: unknown) => e,
    );
    // Raw SQL may have written, and outside a transaction its reply is its commit's: unknown, not retryable.
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
    expect((error as Error).cause).toBeInstanceOf(ConnectionLostError);
    await expect(db.sql`SELECT 2 AS two`).resolves.toEqual([{ two: 2 }]);
    expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
  });

  it('keeps no session state: a setting made in one transaction is not seen by the next', async () => {
    const seen = await db.transaction(async (tx) => {
      await tx.execute`SET LOCAL application_name = 'berth_set_local_probe'`;
      return tx.sql<{ name: string }>`SELECT current_setting('application_name') AS name`;
    });
    expect(seen).toEqual([{ name: 'berth_set_local_probe' }]);
    const after = await db.sql<{ name: string }>`SELECT current_setting('application_name') AS name`;
    expect(after[0]?.name).not.toBe('berth_set_local_probe');
  });
});
