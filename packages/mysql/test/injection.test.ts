import { defineEntity, field } from '@berth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BERTH_SQL_MODE } from '../src/mysql-session.js';
import { openTestDatabase } from './support/fixtures.js';
import { TEST_DATABASE } from './support/test-env.js';
import { adminConnection, serverAvailable } from './support/test-server.js';

const Person = defineEntity('injection_people', {
  id: field.id(),
  email: field.string({ max: 100 }),
  name: field.string({ max: 100 }),
});

/** Values that end a backslash-escaped literal when the server does not read backslashes as escapes. */
const HOSTILE = [
  "\\' OR 1=1 -- ",
  "\\' OR '1'='1",
  "x\\' UNION SELECT 1 -- ",
  '\\" OR 1=1 -- ',
  "'; DROP TABLE employees; -- ",
  '\\',
  'it\'s \\\\ back\\slashed "quoted" `ticked`',
];

/** The session modes that change how a literal is read: the documented ones, and combined. */
const MODES = {
  NO_BACKSLASH_ESCAPES: `${BERTH_SQL_MODE},NO_BACKSLASH_ESCAPES`,
  ANSI_QUOTES: `${BERTH_SQL_MODE},ANSI_QUOTES`,
  'NO_BACKSLASH_ESCAPES,ANSI_QUOTES': `${BERTH_SQL_MODE},NO_BACKSLASH_ESCAPES,ANSI_QUOTES`,
  "berth's own": BERTH_SQL_MODE,
};

describe.skipIf(!serverAvailable())('values are bound, never interpolated, whatever the sql_mode', () => {
  const open = (config: Parameters<typeof openTestDatabase>[0]) => openTestDatabase(config, {}, [Person]);
  async function truncate(): Promise<void> {
    const admin = await adminConnection();
    try {
      await admin.query(`DELETE FROM ${TEST_DATABASE}.injection_people`);
    } finally {
      await admin.end();
    }
  }
  beforeAll(async () => {
    const { db } = await open({});
    await db.ensureSchema();
    await db.close(1_000);
  });
  afterAll(async () => {
    const admin = await adminConnection();
    await admin.query(`DROP TABLE IF EXISTS ${TEST_DATABASE}.injection_people`);
    await admin.end();
  });

  for (const [name, sqlMode] of Object.entries(MODES)) {
    it(`with sql_mode ${name}: a hostile filter value matches nothing and stored values come back exactly`, async () => {
      await truncate();
      const { db } = await open({ sessionVariables: { sql_mode: sqlMode } });
      try {
        const repo = db.repository(Person);
        // The session really runs in that mode (the attack needs it).
        const lease = await db.pool.acquire();
        try {
          const raw = lease.connection as unknown as {
            execute(sql: string, params: unknown[]): Promise<{ rows: Array<{ mode: string }> }>;
          };
          const { rows } = await raw.execute('SELECT @@SESSION.sql_mode AS mode', []);
          for (const flag of name === "berth's own" ? [] : name.split(','))
            expect(rows[0]?.mode).toContain(flag);
        } finally {
          await db.pool.release(lease);
        }

        await repo.insert({ email: 'a@example.com', name: 'Ada' });
        await repo.insert({ email: 'b@example.com', name: 'Bob' });
        for (const value of HOSTILE) {
          expect(await repo.count({ name: value }), value).toBe(0);
          expect((await repo.find({ where: { email: value } })).items, value).toEqual([]);
          expect(await repo.count({ name: { in: ['nobody', value] } }), value).toBe(0);
          expect(await repo.count({ name: { ne: value } }), value).toBe(2);
        }
        // Every hostile value is stored as it is, and found again by itself only.
        for (const [i, value] of HOSTILE.entries()) {
          const row = await repo.insert({ email: `hostile${i}@example.com`, name: value });
          expect((await repo.findById(row.id))?.name).toBe(value);
          expect((await repo.find({ where: { name: value } })).items.map((r) => r.id)).toEqual([row.id]);
        }
        expect(await repo.count()).toBe(2 + HOSTILE.length);
        // An update by id is one packet of text with its values inlined (see inline-values.ts): a hostile
        // value is still stored as it is, and a hostile id matches nothing.
        const target = await repo.insert({ email: 'u@example.com', name: 'u' });
        for (const value of HOSTILE) {
          expect((await repo.update(target.id, { name: value })).name, value).toBe(value);
          expect((await repo.findById(target.id))?.name, value).toBe(value);
          await expect(repo.update(value, { name: 'x' }), value).rejects.toMatchObject({ code: 'NOT_FOUND' });
          await expect(repo.update(target.id, { email: value }), value).resolves.toMatchObject({
            email: value,
          });
        }
        expect(await repo.count()).toBe(3 + HOSTILE.length);
        expect(await repo.count({ name: 'x' })).toBe(0);
        // Set-based writes go as text with their values inlined too (see `rowlessWriteText`): a hostile
        // filter matches only the row holding it, and a hostile value is stored as it is.
        for (const [i, value] of HOSTILE.entries()) {
          const holding = await repo.count({ name: value });
          expect(holding, value).toBeGreaterThan(0);
          const email = `again${i}@example.com`;
          expect(await repo.updateMany({ name: value }, { email }), value).toBe(holding);
          expect(await repo.updateMany({ email }, { name: value }), value).toBe(holding);
          const { items } = await repo.find({ where: { email } });
          expect(items.map((r) => r.name)).toEqual(Array(holding).fill(value));
        }
        const first = await repo.count({ name: HOSTILE[0]! });
        expect(await repo.deleteMany({ name: HOSTILE[0]! })).toBe(first);
        expect(await repo.count()).toBe(3 + HOSTILE.length - first);
      } finally {
        await db.close(1_000);
      }
    });
  }

  it('sends a write that returns no rows as text: it leaves no prepared statement on the connection', async () => {
    await truncate();
    const { db } = await open({ max: 1 });
    try {
      const repo = db.repository(Person);
      const row = await repo.insert({ email: 'w@example.com', name: 'w' });
      expect(await repo.updateMany({ name: 'w' }, { name: 'v' })).toBe(1);
      expect(await repo.deleteMany({ name: 'v' })).toBe(1);
      expect(await repo.findById(row.id)).toBeNull();
      const lease = await db.pool.acquire();
      try {
        const native = (
          lease.connection as unknown as {
            native: { connection: { _statements: { keys(): Iterable<string> } } };
          }
        ).native.connection;
        // Only the read by id was prepared: it returns a row, whose values the binary protocol hands over.
        // mysql2's key is its options, then the text.
        const kinds = [...native._statements.keys()].map(
          (key) => /(SELECT|INSERT|UPDATE|DELETE)/.exec(key)?.[1],
        );
        expect(kinds).toEqual(['SELECT']);
      } finally {
        await db.pool.release(lease);
      }
    } finally {
      await db.close(1_000);
    }
  });

  it('prepared statements survive a session reset (COM_RESET_CONNECTION deallocates them on the server)', async () => {
    const { db, log } = await open({ max: 1, resetOnRelease: 'always' });
    try {
      const repo = db.repository(Person);
      for (let i = 0; i < 3; i++) {
        // The same statement on the same connection, reset between each: re-prepared, never a stale id.
        expect(await repo.count({ name: 'nobody' })).toBe(0);
      }
      expect(log.events.filter((e) => e.startsWith('destroy'))).toEqual([]);
    } finally {
      await db.close(1_000);
    }
  });

  it('keeps at most maxPreparedStatements per connection', async () => {
    const { db } = await open({ max: 1, maxPreparedStatements: 2 });
    try {
      const repo = db.repository(Person);
      // Distinct statements (IN lists of different lengths), more than the cache holds: each still runs.
      for (let n = 1; n <= 6; n++) {
        const names = Array.from({ length: n }, (_, i) => `nobody ${i}`);
        expect(await repo.count({ name: { in: names } })).toBe(0);
      }
      const lease = await db.pool.acquire();
      try {
        const native = (
          lease.connection as unknown as { native: { connection: { _statements: { size: number } } } }
        ).native.connection;
        expect(native._statements.size).toBeLessThanOrEqual(2);
      } finally {
        await db.pool.release(lease);
      }
    } finally {
      await db.close(1_000);
    }
  });
});
