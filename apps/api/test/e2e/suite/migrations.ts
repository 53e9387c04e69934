import { migrationStatus } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../src/entities.js';
import type { SuiteContext } from '../support/context.js';
import { shippedMigrations } from '../support/shipped-migrations.js';

/** The database this suite runs on was made by the shipped migrations (see api-suite.ts). */
export function migrationTests(ctx: () => SuiteContext): void {
  describe('migrations', () => {
    it('the schema the shipped migrations made matches the entities: every file applied, no drift', async () => {
      const { db } = ctx();
      const sources = await shippedMigrations(db);
      expect(sources.length).toBeGreaterThan(0);
      const status = await migrationStatus(db, sources, ENTITIES);
      expect(status.applied.map((a) => [a.id, a.complete])).toEqual(sources.map((s) => [s.id, true]));
      expect(status.pending).toEqual([]);
      expect(status.modified).toEqual([]);
      expect(status.drift.steps.map((s) => `${s.table}: ${s.reason}`)).toEqual([]);
    });
  });
}
