import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  type Database,
  defineEntity,
  field,
} from '@berth/core';
import { TcpProxy } from '@berth/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMIT_MARKER_TABLE } from '../../src/commit-marker.js';
import { openTestDatabase } from '../support/fixtures.js';
import { SERVER_URL, ServerProbe, serverAvailable, TEST_DATABASE } from '../support/test-server.js';
import { EXECUTE_PACKET, WRITE_PACKET } from '../support/execute-packet.js';

const EXECUTE = EXECUTE_PACKET;

const Account = defineEntity('mysql_reply_lost_accounts', {
  id: field.id(),
  name: field.string({ max: 40 }),
  balance: field.integer(),
});

const probe = new ServerProbe();
const open: { db: Database; proxy?: TcpProxy }[] = [];

afterEach(async () => {
  for (const { db, proxy } of open.splice(0)) {
    await db.close(1_000);
    await proxy?.stop();
  }
});

/** berth through a fault proxy, with a pool of one: the resolution must reuse that one slot. */
async function throughProxy() {
  const server = new URL(SERVER_URL);
  const proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 3306) });
  const { db } = await openTestDatabase({ host: '127.0.0.1', port: proxy.port, max: 1 }, {}, [Account]);
  open.push({ db, proxy });
  const accounts = db.repository(Account);
  // The first connection creates the marker table; later faults hit a connection already set up.
  await accounts.count();
  return { db, proxy, accounts };
}

async function balance(id: string): Promise<number | undefined> {
  const rows = await probe.query<{ balance: number }>(
    `SELECT balance FROM ${TEST_DATABASE}.mysql_reply_lost_accounts WHERE id = ?`,
    [id],
  );
  return rows.length === 0 ? undefined : Number(rows[0]!.balance);
}

/** The pool at rest and the server agreeing: nothing in use, as many sessions as the pool has, none in a transaction. */
async function expectAtRest(db: Database): Promise<void> {
  await expect
    .poll(async () => {
      const stats = db.pool.stats();
      return {
        inUse: stats.inUse,
        sessions: (await probe.serverConnections()) === stats.total,
        transactions: (await probe.transactions()).length,
      };
    })
    .toEqual({ inUse: 0, sessions: true, transactions: 0 });
}

/** The 10 % raise of the issue, in a transaction. */
function raise(db: Database, id: string): Promise<void> {
  const accounts = db.repository(Account);
  return db.transaction(async () => {
    const account = await accounts.getById(id);
    await accounts.update(id, { balance: Math.round(account.balance * 1.1) });
  });
}

describe.skipIf(!serverAvailable())('the reply to a COMMIT or a lone write is lost', () => {
  beforeAll(async () => {
    const { db } = await openTestDatabase({}, {}, [Account]);
    await db.ensureSchema();
    await db.close(1_000);
  });
  afterAll(() => probe.close());

  it('a COMMIT that took effect resolves as success through its marker, applied once', async () => {
    const { db, proxy, accounts } = await throughProxy();
    const { id } = await accounts.insert({ name: 'ada', balance: 1000 });
    const [oldThread] = await probe.sessionIds();
    const dropped = proxy.dropNextReply(/COMMIT/);
    await raise(db, id);
    await dropped;
    expect(await balance(id)).toBe(1100);
    expect(await probe.sessionIds()).not.toContain(oldThread);
    // The resolution cleans the old thread's marker up.
    const markers = await probe.query(
      `SELECT 1 FROM ${TEST_DATABASE}.${COMMIT_MARKER_TABLE} WHERE connection_id = ?`,
      [oldThread],
    );
    expect(markers).toHaveLength(0);
    await expectAtRest(db);
  });

  it('a COMMIT the server never received is a ConnectionLostError: nothing was written, a retry is safe', async () => {
    const { db, proxy, accounts } = await throughProxy();
    const { id } = await accounts.insert({ name: 'grace', balance: 1000 });
    const dropped = proxy.dropNextRequest(/COMMIT/);
    const error = await raise(db, id).catch((e: unknown) => e);
    await dropped;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(await balance(id)).toBe(1000);
    await expectAtRest(db);
  });

  it('a COMMIT whose outcome cannot be resolved is a CommitOutcomeUnknownError, never retryable', async () => {
    const { db, proxy, accounts } = await throughProxy();
    const { id } = await accounts.insert({ name: 'linus', balance: 1000 });
    const dropped = proxy.dropNextReply(/COMMIT/).then(() => {
      proxy.refuse = true;
    });
    const error = await raise(db, id).catch((e: unknown) => e);
    await dropped;
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
    expect(await balance(id)).toBe(1100);
    proxy.refuse = false;
    await expectAtRest(db);
  });

  it('a lone INSERT whose reply was lost resolves by its id: success, stored once', async () => {
    const { db, proxy, accounts } = await throughProxy();
    const dropped = proxy.dropNextReply(WRITE_PACKET);
    const row = await accounts.insert({ name: 'lone insert', balance: 5 });
    await dropped;
    expect(await balance(row.id)).toBe(5);
    await expectAtRest(db);
  });

  it('a lone INSERT the server never received is a ConnectionLostError', async () => {
    const { db, proxy, accounts } = await throughProxy();
    const before = await accounts.count();
    const dropped = proxy.dropNextRequest(/INSERT INTO/);
    await expect(accounts.insert({ name: 'never sent', balance: 5 })).rejects.toBeInstanceOf(
      ConnectionLostError,
    );
    await dropped;
    expect(await accounts.count()).toBe(before);
    await expectAtRest(db);
  });

  it('a lone UPDATE whose reply was lost is a CommitOutcomeUnknownError', async () => {
    const { db, proxy, accounts } = await throughProxy();
    const { id } = await accounts.insert({ name: 'lone update', balance: 1000 });
    // One statement (update by id reads first on MariaDB, which has no UPDATE ... RETURNING).
    const dropped = proxy.dropNextReply(WRITE_PACKET);
    await expect(accounts.updateMany({ id }, { balance: 1100 })).rejects.toBeInstanceOf(
      CommitOutcomeUnknownError,
    );
    await dropped;
    expect(await balance(id)).toBe(1100);
    await expectAtRest(db);
  });

  it('without the marker table a COMMIT is sent again unmarked and succeeds; ensureSchema creates the table', async () => {
    await probe.query(`DROP TABLE IF EXISTS ${TEST_DATABASE}.${COMMIT_MARKER_TABLE}`);
    const { db } = await openTestDatabase({ max: 1 }, {}, [Account]);
    open.push({ db });
    const accounts = db.repository(Account);
    const { id } = await accounts.insert({ name: 'unmarked', balance: 1000 });
    await raise(db, id);
    await raise(db, id);
    expect(await balance(id)).toBe(1210);
    await db.ensureSchema();
    const tables = await probe.query(
      'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
      [TEST_DATABASE, COMMIT_MARKER_TABLE],
    );
    expect(tables).toHaveLength(1);
    await raise(db, id);
    expect(await balance(id)).toBe(1331);
    await expectAtRest(db);
  });

  it('the lost COMMIT reply of a transaction that wrote nothing is a ConnectionLostError: nothing to lose', async () => {
    const { db, proxy, accounts } = await throughProxy();
    const dropped = proxy.dropNextReply(/COMMIT/);
    const error = await db.transaction(() => accounts.count()).catch((e: unknown) => e);
    await dropped;
    expect(error).toBeInstanceOf(ConnectionLostError);
    await expectAtRest(db);
  });

  it('a read whose reply was lost, and work lost before COMMIT, stay ConnectionLostError', async () => {
    const { db, proxy, accounts } = await throughProxy();
    const { id } = await accounts.insert({ name: 'reader', balance: 1000 });
    let dropped = proxy.dropNextReply(EXECUTE);
    await expect(accounts.findById(id)).rejects.toBeInstanceOf(ConnectionLostError);
    await dropped;
    dropped = proxy.dropNextReply(EXECUTE);
    await expect(raise(db, id)).rejects.toBeInstanceOf(ConnectionLostError);
    await dropped;
    expect(await balance(id)).toBe(1000);
    await expectAtRest(db);
  });
});
