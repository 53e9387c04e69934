import { belongsTo, defineEntity, field, SchemaDriftError } from '@berth/core';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { rawQuery } from './support/server.js';
import { closeTestDatabases, openTestDatabase } from './support/test-database.js';

/** Tables of this file alone, so the first ensureSchema surely creates them and their foreign key. */
const suffix = `${process.pid % 100_000}_${Date.now() % 100_000}`;
const Shelf = defineEntity(`esr_shelves_${suffix}`, {
  id: field.id(),
  label: field.string({ max: 40 }),
});
const Book = defineEntity(`esr_books_${suffix}`, {
  id: field.id(),
  shelf: belongsTo(() => Shelf, { onDelete: 'restrict' }),
  title: field.string({ max: 40 }),
});

/** How often a statement read the list of tables, the first of the four reads of the catalog. */
function spyCatalogReads(): () => number {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text: string };
    sent.push(typeof first === 'string' ? first : first.text);
    return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  return () => sent.filter((text) => text.includes('FROM information_schema.tables')).length;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await closeTestDatabases();
});

describe.runIf(inject('postgresAvailable'))('ensureSchema reads the catalog on PostgreSQL', () => {
  afterAll(async () => {
    await rawQuery(`DROP TABLE IF EXISTS "${Book.name}", "${Shelf.name}"`);
  });

  it('twice when it added a foreign key, once when nothing changed, and still refuses drift', async () => {
    const { db } = await openTestDatabase({ label: 'esr', driver: { max: 1 } });
    const reads = spyCatalogReads();
    await db.ensureSchema([Shelf, Book]);
    // The key was added after the first read, so the check of the keys reads again.
    expect(reads()).toBe(2);

    await db.ensureSchema([Shelf, Book]);
    expect(reads()).toBe(3);

    // Drift made outside berth is still found by the one read.
    await rawQuery(`ALTER TABLE "${Book.name}" ALTER COLUMN title TYPE varchar(80)`);
    await expect(db.ensureSchema([Shelf, Book])).rejects.toThrow(SchemaDriftError);
    await expect(db.ensureSchema([Shelf, Book])).rejects.toThrow(/title/);
  });

  it('finds a foreign key changed outside berth with the one read', async () => {
    // The column the first test widened is put back, so the key is the one difference.
    await rawQuery(`ALTER TABLE "${Book.name}" ALTER COLUMN title TYPE varchar(40)`);
    const { db } = await openTestDatabase({ label: 'esr', driver: { max: 1 } });
    await db.ensureSchema([Shelf, Book]);
    const [key] = await rawQuery<{ name: string; definition: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conrelid = '"${Book.name}"'::regclass AND contype = 'f'`,
    );
    expect(key!.definition).toContain('ON DELETE RESTRICT');
    // The same key with another action: drift that the ensureSchema of an unchanged schema must still see.
    await rawQuery(`ALTER TABLE "${Book.name}" DROP CONSTRAINT "${key!.name}"`);
    await rawQuery(
      `ALTER TABLE "${Book.name}" ADD CONSTRAINT "${key!.name}" ${key!.definition.replace('RESTRICT', 'CASCADE')}`,
    );
    const reads = spyCatalogReads();
    await expect(db.ensureSchema([Shelf, Book])).rejects.toThrow(SchemaDriftError);
    expect(reads()).toBe(1);
  });
});
