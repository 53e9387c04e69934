import { Database } from '@berth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDriver } from '../src/index.js';

type Setting = Record<string, string>;

/** PGlite is one connection, but it is PostgreSQL: the options are the server's own transaction settings. */
describe('transaction options on PGlite', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(new PGliteDriver());
  }, 60_000);
  afterAll(async () => {
    await db.close();
  });

  it('isolation and read-only reach the engine, for that transaction only', async () => {
    const show = async (name: string) =>
      ((await db.sql<Setting>`SELECT current_setting(${name}) AS value`)[0] as Setting).value;
    for (const isolation of ['serializable', 'repeatable read', 'read committed'] as const) {
      await db.transaction(
        async () => {
          expect(await show('transaction_isolation')).toBe(isolation);
          expect(await show('transaction_read_only')).toBe('on');
        },
        { isolation, readOnly: true },
      );
    }
    await db.transaction(async () => {
      expect(await show('transaction_isolation')).toBe('read committed');
      expect(await show('transaction_read_only')).toBe('off');
    });
  });
});
