import type { Database } from '@berth/core';
import { expect } from 'vitest';
import { eventually } from './eventually.js';
import type { SuiteContext } from './suite-context.js';

/** The pool has nothing checked out or queued, and the server agrees where the target can tell. */
export async function expectNoLeaks(ctx: SuiteContext, db: Database): Promise<void> {
  expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
  const { serverConnections, openTransactions } = ctx.target;
  if (serverConnections) {
    await eventually(
      async () => (await serverConnections()) === db.pool.stats().total,
      async () =>
        `the server sees ${await serverConnections()} connections, the pool's total is ${db.pool.stats().total}`,
    );
  }
  if (openTransactions) expect(await openTransactions()).toBe(0);
}
