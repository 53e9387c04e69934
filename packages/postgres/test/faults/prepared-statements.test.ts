import { Database, defineEntity, field, UniqueViolationError } from '@berth/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresDriver } from '../../src/postgres-driver.js';
import type { PostgresDriverConfig } from '../../src/postgres-driver-config.js';
import { rawQuery, TEST_URL } from '../support/server.js';
import { uniqueApplicationName } from '../support/test-database.js';

const Tag = defineEntity('pg_prepared_tags', {
  id: field.id(),
  name: field.string({ max: 40 }).unique(),
  uses: field.integer(),
});

const available = inject('postgresAvailable');
const pools: pg.Pool[] = [];
const databases: Database[] = [];

/**
 * berth over a one-connection pg pool of the test's own, so the test can ask that very session what it
 * has prepared once berth has given it back.
 */
async function open(
  config: Partial<PostgresDriverConfig>,
): Promise<{ db: Database; prepared: () => Promise<string[]> }> {
  const pool = new pg.Pool({
    connectionString: TEST_URL,
    max: 1,
    application_name: uniqueApplicationName('prep'),
  });
  pools.push(pool);
  const db = await Database.open(new PostgresDriver({ ...config, pool }), { entities: [Tag] });
  databases.push(db);
  const prepared = async () => {
    const { rows } = await pool.query<{ name: string }>(
      "SELECT name FROM pg_prepared_statements WHERE name LIKE 'berth_%' ORDER BY prepare_time, name",
    );
    return rows.map((row) => row.name);
  };
  return { db, prepared };
}

afterEach(async () => {
  await Promise.allSettled(databases.splice(0).map((db) => db.close()));
  await Promise.allSettled(pools.splice(0).map((pool) => pool.end()));
});

describe.skipIf(!available)('prepared statements', () => {
  beforeAll(async () => {
    const { db } = await open({});
    await db.ensureSchema();
  });
  afterAll(async () => {
    if (available) await rawQuery('DROP TABLE IF EXISTS pg_prepared_tags');
  });

  it('are off by default, so transaction-mode poolers work', async () => {
    const { db, prepared } = await open({});
    await db.repository(Tag).count();
    await db.repository(Tag).findById('none');
    expect(await prepared()).toEqual([]);
  });

  it('are prepared once per connection and reused when preparedStatements is true', async () => {
    const { db, prepared } = await open({ preparedStatements: true });
    const tags = db.repository(Tag);
    const tag = await tags.insert({ name: `t-${Date.now()}`, uses: 1 });
    for (let i = 0; i < 3; i++) expect(await tags.findById(tag.id)).toEqual(tag);
    await tags.update(tag.id, { uses: 2 });
    const names = await prepared();
    // insert, findById, update: each prepared once however often it ran.
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(/^berth_[0-9a-f]{24}$/);
    const error = await tags.insert({ name: tag.name, uses: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(await prepared()).toHaveLength(3);
  });

  it('keep at most preparedStatementCacheSize per connection, deallocating the least recently used', async () => {
    const { db, prepared } = await open({ preparedStatements: true, preparedStatementCacheSize: 2 });
    const tags = db.repository(Tag);
    await tags.count(); // A
    await tags.findById('x'); // B
    const [a, b] = await prepared();
    await tags.count(); // A again: B is now the oldest
    await tags.count({ uses: 5 }); // C evicts B
    const after = await prepared();
    expect(after).toHaveLength(2);
    expect(after).toContain(a);
    expect(after).not.toContain(b);
    // B comes back: prepared again under the same name, and it still answers.
    expect(await tags.findById('x')).toBeNull();
    expect(await prepared()).toContain(b);
    expect(await prepared()).toHaveLength(2);
  });

  it('outside the cache inside a transaction: run unnamed rather than deallocate mid-transaction', async () => {
    const { db, prepared } = await open({ preparedStatements: true, preparedStatementCacheSize: 1 });
    const tags = db.repository(Tag);
    await tags.count();
    const [first] = await prepared();
    await db.transaction(async (tx) => {
      expect(await tx.repository(Tag).findById('x')).toBeNull();
    });
    expect(await prepared()).toEqual([first]);
  });
});
