import { fileURLToPath } from 'node:url';
import type { Database, MigrationSource } from '@berth/core';
import { flavourDir, readMigrationFiles } from '@berth/core/cli';

/** The service's migrations folder (berth.config.mjs names it). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** The migration files the service ships for this database's backend, as `berth migrate up` reads them. */
export async function shippedMigrations(db: Database): Promise<MigrationSource[]> {
  const { flavour, extension } = await db.withMigrations(async (d) => ({
    flavour: d.flavour,
    extension: d.extension,
  }));
  return readMigrationFiles(flavourDir(MIGRATIONS_DIR, flavour), extension);
}
