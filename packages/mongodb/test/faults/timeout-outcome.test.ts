import {
  CommitOutcomeUnknownError,
  type Database,
  StatementTimeoutError,
  defineEntity,
  field,
} from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';
import { TEST_DATABASE } from '../support/test-server.js';

const Account = defineEntity('timeout_outcome_accounts', {
  id: field.id(),
  name: field.string(),
  balance: field.integer(),
});
/** Generous: the faults answer MaxTimeMSExpired themselves, so no test waits for the limit. */
const STATEMENT_TIMEOUT_MS = 5_000;

/**
 * The server runs `name` commands, then answers MaxTimeMSExpired in place of their result (its time ran
 * out after the work was done); every command name sent is recorded.
 */
function expireAfterRunning(server: MongoTestServer, name: string): { sent: string[] } {
  const sent: string[] = [];
  server.setCommandHook((info) => {
    sent.push(info.name);
    return info.name === name ? { expireAfterRunning: true } : undefined;
  });
  return { sent };
}

function balances(server: MongoTestServer): number[] {
  return server
    .documents(TEST_DATABASE, Account.name)
    .map((d) => Number(d.balance))
    .sort((a, b) => a - b);
}

async function seed(db: Database): Promise<void> {
  await db.repository(Account).insertMany([
    { name: 'a', balance: 1 },
    { name: 'b', balance: 2 },
    { name: 'c', balance: 3 },
  ]);
}

describe('on a replica set', () => {
  const fault = useFaultServer();
  const { open } = fault;

  it('a commit answered MaxTimeMSExpired after it was applied is a CommitOutcomeUnknownError, not a retryable timeout', async () => {
    const { db } = await open([Account], { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    const accounts = db.repository(Account);
    const { id } = await accounts.insert({ name: 'ada', balance: 1000 });
    const { sent } = expireAfterRunning(fault.server, 'commitTransaction');
    const error = await db
      .transaction(async () => {
        await accounts.update(id, { balance: 1100 });
      })
      .catch((e: unknown) => e);
    fault.server.setCommandHook(undefined);
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/time limit/);
    // Sent once: a second attempt would meet the same limit (see commit()).
    expect(sent.filter((name) => name === 'commitTransaction')).toHaveLength(1);
    expect(balances(fault.server)).toEqual([1100]);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    expect(fault.server.openTransactionCount).toBe(0);
  });

  it('a lone updateMany that times out after changing documents leaves none changed (its own transaction) and stays a retryable StatementTimeoutError', async () => {
    const { db } = await open([Account], { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await seed(db);
    expireAfterRunning(fault.server, 'update');
    const error = await db
      .repository(Account)
      .updateMany({}, { name: 'renamed' })
      .catch((e: unknown) => e);
    fault.server.setCommandHook(undefined);
    expect(error).toBeInstanceOf(StatementTimeoutError);
    expect((error as StatementTimeoutError).retryable).toBe(true);
    expect(fault.server.documents(TEST_DATABASE, Account.name).map((d) => d.name)).toEqual(['a', 'b', 'c']);
    expect(fault.server.openTransactionCount).toBe(0);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
  });

  it('a lone deleteMany that times out after deleting documents leaves them all (its own transaction)', async () => {
    const { db } = await open([Account], { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await seed(db);
    expireAfterRunning(fault.server, 'delete');
    const error = await db
      .repository(Account)
      .deleteMany({ balance: { gte: 2 } })
      .catch((e: unknown) => e);
    fault.server.setCommandHook(undefined);
    expect(error).toBeInstanceOf(StatementTimeoutError);
    expect(balances(fault.server)).toEqual([1, 2, 3]);
    expect(fault.server.openTransactionCount).toBe(0);
  });

  it('a lone updateMany whose own commit is answered MaxTimeMSExpired is a CommitOutcomeUnknownError (applied)', async () => {
    const { db } = await open([Account], { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await seed(db);
    expireAfterRunning(fault.server, 'commitTransaction');
    const error = await db
      .repository(Account)
      .updateMany({}, { balance: { increment: 10 } })
      .catch((e: unknown) => e);
    fault.server.setCommandHook(undefined);
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect(balances(fault.server)).toEqual([11, 12, 13]);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
  });

  it('a lone updateMany or deleteMany costs one more command than a bare one (commitTransaction), and succeeds', async () => {
    const { db } = await open([Account]);
    await seed(db);
    const sent: string[] = [];
    fault.server.setCommandHook((info) => {
      if (!['hello', 'ismaster', 'endSessions'].includes(info.name)) sent.push(info.name);
      return undefined;
    });
    expect(await db.repository(Account).updateMany({ balance: { gte: 2 } }, { name: 'x' })).toBe(2);
    expect(sent).toEqual(['update', 'commitTransaction']);
    sent.length = 0;
    expect(await db.repository(Account).deleteMany({ name: 'x' })).toBe(2);
    expect(sent).toEqual(['delete', 'commitTransaction']);
    fault.server.setCommandHook(undefined);
    expect(balances(fault.server)).toEqual([1]);
  });

  it('inside a transaction, a multi-document write joins it: no commit of its own', async () => {
    const { db } = await open([Account]);
    await seed(db);
    const sent: string[] = [];
    fault.server.setCommandHook((info) => {
      if (['update', 'delete', 'commitTransaction'].includes(info.name)) sent.push(info.name);
      return undefined;
    });
    await db.transaction(async () => {
      await db.repository(Account).updateMany({}, { name: 'y' });
      await db.repository(Account).deleteMany({ balance: 1 });
    });
    fault.server.setCommandHook(undefined);
    expect(sent).toEqual(['update', 'delete', 'commitTransaction']);
    expect(balances(fault.server)).toEqual([2, 3]);
  });
});

describe('on a standalone server (no transactions)', () => {
  const fault = useFaultServer({ standalone: true });
  const { open } = fault;

  /** Three documents, inserted one by one (several rows at once need a transaction). */
  async function seedOneByOne(db: Database): Promise<void> {
    for (const [name, balance] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      await db.repository(Account).insert({ name, balance });
  }

  for (const [what, command, run] of [
    ['updateMany', 'update', (db: Database) => db.repository(Account).updateMany({}, { name: 'renamed' })],
    ['deleteMany', 'delete', (db: Database) => db.repository(Account).deleteMany({})],
  ] as const) {
    it(`a lone ${what} that times out may be partly applied: CommitOutcomeUnknownError, not a retryable timeout`, async () => {
      const { db } = await open([Account], { statementTimeoutMs: STATEMENT_TIMEOUT_MS });
      await seedOneByOne(db);
      expireAfterRunning(fault.server, command);
      const error = await run(db).catch((e: unknown) => e);
      fault.server.setCommandHook(undefined);
      expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
      expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
      expect((error as Error).message).toMatch(/partly applied/);
      expect((error as Error).cause).toBeInstanceOf(StatementTimeoutError);
      expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    });
  }

  it('a lone updateMany whose reply is lost is still a CommitOutcomeUnknownError (it was applied)', async () => {
    const { db } = await open([Account]);
    await seedOneByOne(db);
    fault.server.setCommandHook((info) => (info.name === 'update' ? { dropReply: true } : undefined));
    const error = await db
      .repository(Account)
      .updateMany({}, { name: 'lost' })
      .catch((e: unknown) => e);
    fault.server.setCommandHook(undefined);
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect(fault.server.documents(TEST_DATABASE, Account.name).map((d) => d.name)).toEqual([
      'lost',
      'lost',
      'lost',
    ]);
  });

  it('a lone single-document write that times out stays a retryable StatementTimeoutError (all or nothing by itself)', async () => {
    // The delay answers MaxTimeMSExpired once the (short) limit passes, before running the command.
    const { db } = await open([Account], { statementTimeoutMs: 100 });
    const { id } = await db.repository(Account).insert({ name: 'one', balance: 1 });
    fault.server.setCommandDelay(2_000, { commands: ['findAndModify'] });
    const error = await db
      .repository(Account)
      .update(id, { name: 'two' })
      .catch((e: unknown) => e);
    fault.server.setCommandDelay(0);
    expect(error).toBeInstanceOf(StatementTimeoutError);
  });

  it('a lone updateMany and deleteMany still work (one command each)', async () => {
    const { db } = await open([Account]);
    await seedOneByOne(db);
    expect(await db.repository(Account).updateMany({ balance: { gte: 2 } }, { name: 'x' })).toBe(2);
    expect(await db.repository(Account).deleteMany({ name: 'x' })).toBe(2);
    expect(balances(fault.server)).toEqual([1]);
  });
});
