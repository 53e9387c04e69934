import { ConnectionLostError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../conformance-entities.js';
import { eventually } from '../support/eventually.js';
import { expectNoLeaks } from '../support/expect-no-leaks.js';
import { holdAll, recordEvents, releaseAll } from '../support/pool-helpers.js';
import type { SuiteContext } from '../support/suite-context.js';

/**
 * Pool cases that need the server's view: killed connections (`killConnection`) and the server's own
 * connection and transaction counts. Each is registered only when the target gives the hook it needs.
 */
export function poolFaultCases(ctx: SuiteContext): void {
  const { killConnection, serverConnections } = ctx.target;
  if (!killConnection && !serverConnections) return;

  describe('pool faults and server-side truth', () => {
    if (serverConnections) {
      it('the server sees exactly the connections the pool reports, and none after close()', async () => {
        const db = await ctx.open({ pool: { max: 2, acquireTimeoutMs: 1_000, closeTimeoutMs: 1_000 } });
        const leases = await holdAll(db);
        expect(await serverConnections()).toBe(db.pool.stats().total);
        await releaseAll(db, leases);
        await expectNoLeaks(ctx, db);
        await db.close();
        await eventually(
          async () => (await serverConnections()) === 0,
          async () => `the server still sees ${await serverConnections()} connections`,
        );
      });
    }

    if (!killConnection) return;

    it('an idle connection killed by the server is found at acquire and replaced; the caller succeeds', async () => {
      const db = await ctx.open({ pool: { max: 1, acquireTimeoutMs: 2_000, validateAfterIdleMs: 0 } });
      const log = recordEvents(db);
      await db.ping();
      const killedId = (log.find((e) => e.name === 'acquire') as { connectionId: string }).connectionId;
      await killConnection(killedId);
      expect(await db.repository(Ledger).count()).toBeGreaterThanOrEqual(0);
      const acquires = log.filter((e) => e.name === 'acquire') as Array<{ connectionId: string }>;
      expect(acquires.at(-1)!.connectionId).not.toBe(killedId);
      expect(log.some((e) => e.name === 'destroy' && e.connectionId === killedId)).toBe(true);
      await expectNoLeaks(ctx, db);
    });

    it('a connection killed inside a transaction: ConnectionLostError, nothing written, connection destroyed, next call fine', async () => {
      const db = await ctx.open({ pool: { max: 1, acquireTimeoutMs: 2_000 } });
      await ctx.clear(db, Ledger);
      const log = recordEvents(db);
      let killedId: string | undefined;
      const caught = await db
        .transaction(async (tx) => {
          await tx.repository(Ledger).insert({ label: 'lost with the connection', amount: 1 });
          killedId = (log.findLast((e) => e.name === 'acquire') as { connectionId: string }).connectionId;
          await killConnection(killedId);
          await tx.repository(Ledger).count();
        })
        .catch((error: unknown) => error);
      expect(caught).toBeInstanceOf(ConnectionLostError);
      expect((caught as ConnectionLostError).retryable).toBe(true);
      expect(log.find((e) => e.name === 'release' && e.connectionId === killedId)).toMatchObject({
        destroyed: true,
      });
      const row = await db.repository(Ledger).insert({ label: 'after the kill', amount: 2 });
      const nextId = (log.findLast((e) => e.name === 'acquire') as { connectionId: string }).connectionId;
      expect(nextId).not.toBe(killedId);
      expect(
        log.some((e) => e.name === 'destroy' && e.connectionId === killedId) || nextId !== killedId,
      ).toBe(true);
      expect(await ctx.raw(Ledger)).toEqual([row]);
      await expectNoLeaks(ctx, db);
    });
  });
}
