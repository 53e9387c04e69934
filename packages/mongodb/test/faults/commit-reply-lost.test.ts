import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  type Database,
  defineEntity,
  field,
} from '@berth/core';
import type { CommandFault } from '@berth/mongo-test-server';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';
import { TEST_DATABASE } from '../support/test-server.js';

const Account = defineEntity('reply_lost_accounts', {
  id: field.id(),
  name: field.string(),
  balance: field.integer(),
});

const faults = useFaultServer();

/** Runs `name` commands normally, except the first `times` of them, whose replies are lost. */
function loseReplies(name: string, times: number): { count: () => number } {
  let seen = 0;
  faults.server.setCommandHook((info): CommandFault | undefined => {
    if (info.name !== name) return undefined;
    seen++;
    return seen <= times ? { dropReply: true } : undefined;
  });
  return { count: () => seen };
}

function balances(): number[] {
  return faults.server.documents(TEST_DATABASE, Account.name).map((d) => Number(d.balance));
}

/** The 10 % raise of the issue, in a transaction. */
function raise(db: Database, id: string): Promise<void> {
  const accounts = db.repository(Account);
  return db.transaction(async () => {
    const account = await accounts.getById(id);
    await accounts.update(id, { balance: Math.round(account.balance * 1.1) });
  });
}

describe('the reply to a commit or a lone write is lost', () => {
  it('a commit whose every attempt loses its reply is a CommitOutcomeUnknownError, and was applied once', async () => {
    const { db } = await faults.open([Account]);
    const { id } = await db.repository(Account).insert({ name: 'ada', balance: 1000 });
    const commits = loseReplies('commitTransaction', Number.POSITIVE_INFINITY);
    const error = await raise(db, id).catch((e: unknown) => e);
    faults.server.setCommandHook(undefined);
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect((error as CommitOutcomeUnknownError).retryable).toBe(false);
    // The driver retried once per berth attempt, and berth made three.
    expect(commits.count()).toBe(6);
    expect(balances()).toEqual([1100]);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    expect(faults.server.openTransactionCount).toBe(0);
  });

  it('a lone update (one findAndModify) whose reply is lost once is retried by the driver and applied once (1000 → 1100, not 1210)', async () => {
    const { db } = await faults.open([Account]);
    const accounts = db.repository(Account);
    const { id } = await accounts.insert({ name: 'grace', balance: 1000 });
    const updates = loseReplies('findAndModify', 1);
    await accounts.update(id, { balance: 1100 });
    faults.server.setCommandHook(undefined);
    expect(updates.count()).toBe(2);
    expect(balances()).toEqual([1100]);
  });

  it('a lone insert whose reply is lost once is retried by the driver and stored once', async () => {
    const { db } = await faults.open([Account]);
    const inserts = loseReplies('insert', 1);
    await db.repository(Account).insert({ name: 'once', balance: 1 });
    faults.server.setCommandHook(undefined);
    expect(inserts.count()).toBe(2);
    expect(balances()).toEqual([1]);
  });

  it('a lone insert whose retry loses its reply too is a CommitOutcomeUnknownError, stored once', async () => {
    const { db } = await faults.open([Account]);
    loseReplies('insert', Number.POSITIVE_INFINITY);
    const error = await db
      .repository(Account)
      .insert({ name: 'unknown', balance: 1 })
      .catch((e: unknown) => e);
    faults.server.setCommandHook(undefined);
    expect(error).toBeInstanceOf(CommitOutcomeUnknownError);
    expect(balances()).toEqual([1]);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
  });

  it('a read, and work inside a transaction before its commit, stay ConnectionLostError', async () => {
    const { db } = await faults.open([Account]);
    const { id } = await db.repository(Account).insert({ name: 'reader', balance: 1000 });
    loseReplies('find', Number.POSITIVE_INFINITY);
    await expect(db.repository(Account).findById(id)).rejects.toBeInstanceOf(ConnectionLostError);
    loseReplies('findAndModify', Number.POSITIVE_INFINITY);
    const error = await db
      .transaction(async () => {
        await db.repository(Account).update(id, { balance: 1 });
      })
      .catch((e: unknown) => e);
    faults.server.setCommandHook(undefined);
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(balances()).toEqual([1000]);
  });
});
