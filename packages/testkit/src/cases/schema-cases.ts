import { describe, expect, it } from 'vitest';
import { Ledger } from '../conformance-entities.js';
import type { SuiteContext } from '../support/suite-context.js';

export function schemaCases(ctx: SuiteContext): void {
  describe('schema', () => {
    it('ensureSchema is idempotent: a second run succeeds and keeps the rows', async () => {
      const db = await ctx.open();
      await ctx.clear(db, Ledger);
      const row = await db.repository(Ledger).insert({ label: 'kept', amount: 1 });
      await db.ensureSchema();
      await db.ensureSchema();
      expect(await ctx.raw(Ledger)).toEqual([row]);
      await db.repository(Ledger).insert({ label: 'after', amount: 2 });
      expect((await ctx.raw(Ledger)).length).toBe(2);
    });

    it('ensureSchema run concurrently from several Database handles succeeds', async () => {
      const handles = await Promise.all([ctx.open(), ctx.open(), ctx.open()]);
      await Promise.all(handles.flatMap((db) => [db.ensureSchema(), db.ensureSchema()]));
      for (const db of handles) {
        await db.ping();
        expect(await db.repository(Ledger).count()).toBeGreaterThanOrEqual(0);
      }
    });
  });
}
