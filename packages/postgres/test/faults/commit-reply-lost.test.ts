import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  defineEntity,
  field,
  type Repository,
} from '@berth/core';
import { TcpProxy } from '@berth/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PostgresDriverConfig } from '../../src/postgres-driver-config.js';
import { databaseUrl, rawQuery, TEST_DATABASE, TEST_URL } from '../support/server.js';
import {
  closeTestDatabases,
  eventually,
  expectAtRest,
  openTestDatabase,
  type TestDatabase,
} from '../support/test-database.js';

const Account = defineEntity('pg_reply_lost_accounts', {
  id: field.id(),
  name: field.string({ max: 40 }),
  balance: field.integer(),
});
type AccountRow = { id: string; name: string; balance: number };

const available = inject('postgresAvailable');
const proxies: TcpProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
  await closeTestDatabases();
});

/** berth through a fault proxy, with a pool of one: the resolution must reuse that one slot. */
async function throughProxy(
  label: string,
  driver: Partial<PostgresDriverConfig> = {},
): Promise<{ handle: TestDatabase; proxy: TcpProxy; accounts: Repository<typeof Account> }> {
  const target = new URL(TEST_URL);
  const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  proxies.push(proxy);
  const url = new URL(databaseUrl(TEST_DATABASE));
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  const handle = await openTestDatabase({
    label,
    entities: [Account],
    driver: { url: url.href, max: 1, ...driver },
    pool: { acquireTimeoutMs: 3_000 },
  });
  return { handle, proxy, accounts: handle.db.repository(Account) };
}

async function stored(id: string): Promise<AccountRow[]> {
  return rawQuery<AccountRow>('SELECT id, name, balance FROM pg_reply_lost_accounts WHERE id = $1', [id]);
}

/** The 10 % raise of the issue, in a transaction: read, then write the new balance. */
function raise(handle: TestDatabase, accounts: Repository<typeof Account>, id: string): Promise<void> {
  return handle.db.transaction(async () => {
    const account = await accounts.getById(id);
    await accounts.update(id, { balance: Math.round(account.balance * 1.1) });
  });
}

describe.skipIf(!available)('the reply to a COMMIT or a lone write is lost', () => {
  beforeAll(async () => {
    const handle = await openTestDatabase({ label: 'reply-lost-schema', entities: [Account] });
    await handle.db.ensureSchema();
    await handle.close();
    // A deferred check, run by COMMIT itself: the way to make a COMMIT the server really rejects.
    await rawQuery(`
      CREATE OR REPLACE FUNCTION pg_reply_lost_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.name = 'refused at commit' THEN RAISE EXCEPTION 'refused at commit'; END IF;
        RETURN NEW;
      END $$`);
    await rawQuery('DROP TRIGGER IF EXISTS pg_reply_lost_refuse ON pg_reply_lost_accounts');
    await rawQuery(`
      CREATE CONSTRAINT TRIGGER pg_reply_lost_refuse AFTER INSERT OR UPDATE ON pg_reply_lost_accounts
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pg_reply_lost_refuse()`);
  });
  afterAll(async () => {
    if (!available) return;
    await rawQuery('DROP TABLE IF EXISTS pg_reply_lost_accounts');
    await rawQuery('DROP FUNCTION IF EXISTS pg_reply_lost_refuse()');
  });

  for (const preparedStatements of [false, true]) {
    it(`a COMMIT that took effect resolves as success, applied once (preparedStatements: ${preparedStatements})`, async () => {
      const { handle, proxy, accounts } = await throughProxy('commit-applied', { preparedStatements });
      const { id } = await accounts.insert({ name: 'ada', balance: 1000 });
      const [oldPid] = await handle.serverPids();
      const dropped = proxy.dropNextReply(/COMMIT/);
      await raise(handle, accounts, id);
      await dropped;
      expect(Number((await stored(id))[0]?.balance)).toBe(1100);
      // The resolution ran on a fresh connection within the pool of one; the old backend is gone.
      expect(await handle.serverPids()).not.toContain(oldPid);
      await expectAtRest(handle, { max: 1 });
    });
  }

  it('a COMMIT the server rejected is a ConnectionLostError: nothing was written, a retry is safe', async () => {
    const { handle, proxy, accounts } = await throughProxy('commit-rejected');
    const dropped = proxy.dropNextReply(/COMMIT/);
    const error = await handle.db
      .transaction(async () => {
        await accounts.insert({ name: 'refused at commit', balance: 1 });
      })
      .catch((e: unknown) => e);
    await dropped;
    expect(error).toBeInstanceOf(ConnectionLostError);
    const rows = await rawQuery(`SELECT 1 FROM pg_reply_lost_accounts WHERE name = 'refused at commit'`);
    expect(rows).toHaveLength(0);
    await expectAtRest(handle, { max: 1 });
  });

  it('a COMMIT whose outcome cannot be resolved is a CommitOutcomeUnknownError, never retryable', async () => {
    const { handle, proxy, accounts } = await throughProxy('commit-unresolved');
    const { id } = await accounts.insert({ name: 'grace', balance: 1000 });
    // Once the reply is dropped, no new connection gets through: the resolution cannot ask.
    const dropped = proxy.dropNextReply(/COMMIT/).then(() => {
      proxy.refuse = true;
    });
    const error = await raise(handle, accounts, id).catch((e: unknown) => e);
    await dropped;
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
    expect((error as CommitOutcomeUnknownError).resolve).toBeUndefined();
    // It did commit: exactly what "unknown" warns about.
    expect(Number((await stored(id))[0]?.balance)).toBe(1100);
    proxy.refuse = false;
    await expectAtRest(handle, { max: 1, inUse: 0 });
  });

  it('a lone INSERT whose reply was lost resolves by its id: success, stored once', async () => {
    const { handle, proxy, accounts } = await throughProxy('insert-applied');
    await accounts.count();
    const dropped = proxy.dropNextReply(/INSERT INTO/);
    const row = await accounts.insert({ name: 'lone insert', balance: 5 });
    await dropped;
    expect(await stored(row.id)).toHaveLength(1);
    await expectAtRest(handle, { max: 1 });
  });

  it('a multi-chunk insert outside a transaction resolves its COMMIT: every row, once', async () => {
    const { handle, proxy, accounts } = await throughProxy('chunks-applied');
    const rows = Array.from({ length: 2_500 }, (_, i) => ({ name: `chunk ${i}`, balance: i }));
    const dropped = proxy.dropNextReply(/COMMIT/);
    const inserted = await accounts.insertMany(rows);
    await dropped;
    const ids = inserted.map((r) => r.id);
    const [count] = await rawQuery<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_reply_lost_accounts WHERE id = ANY($1::text[])',
      [ids],
    );
    expect(count?.n).toBe(rows.length);
    await expectAtRest(handle, { max: 1 });
  });

  it('a lone UPDATE whose reply was lost is a CommitOutcomeUnknownError (its matched count cannot be resolved)', async () => {
    const { handle, proxy, accounts } = await throughProxy('update-unknown');
    const { id } = await accounts.insert({ name: 'lone update', balance: 1000 });
    const dropped = proxy.dropNextReply(/UPDATE/);
    const error = await accounts.update(id, { balance: 1100 }).catch((e: unknown) => e);
    await dropped;
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect(Number((await stored(id))[0]?.balance)).toBe(1100);
    await eventually(() => expect(handle.db.pool.stats().inUse).toBe(0));
    await expectAtRest(handle, { max: 1 });
  });

  it('the lost COMMIT reply of a transaction that wrote nothing is a ConnectionLostError: nothing to lose', async () => {
    const { handle, proxy, accounts } = await throughProxy('read-only-commit');
    const dropped = proxy.dropNextReply(/COMMIT/);
    const error = await handle.db.transaction(() => accounts.count()).catch((e: unknown) => e);
    await dropped;
    expect(error).toBeInstanceOf(ConnectionLostError);
    await expectAtRest(handle, { max: 1 });
  });

  it('a read whose reply was lost, and work lost before COMMIT, stay ConnectionLostError', async () => {
    const { handle, proxy, accounts } = await throughProxy('read-lost');
    const { id } = await accounts.insert({ name: 'reader', balance: 1000 });
    let dropped = proxy.dropNextReply(/SELECT/);
    await expect(accounts.findById(id)).rejects.toBeInstanceOf(ConnectionLostError);
    await dropped;
    dropped = proxy.dropNextReply(/UPDATE/);
    await expect(raise(handle, accounts, id)).rejects.toBeInstanceOf(ConnectionLostError);
    await dropped;
    expect(Number((await stored(id))[0]?.balance)).toBe(1000);
    await expectAtRest(handle, { max: 1 });
  });
});
