import { Database } from '@berth/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PostgresDriver } from '../src/postgres-driver.js';
import { TEST_URL } from './support/server.js';

type Setting = { transaction_isolation?: string; transaction_read_only?: string };

/** What the server says about the transaction berth opened: the options reach PostgreSQL itself. */
describe.skipIf(!inject('postgresAvailable'))('transaction options on PostgreSQL', () => {
  const open: Database[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close(1_000)));
  });

  for (const preparedStatements of [false, true]) {
    it(`isolation and read-only are the server's own settings of the transaction (prepared: ${preparedStatements})`, async () => {
      const db = await Database.open(new PostgresDriver({ url: TEST_URL, max: 1, preparedStatements }));
      open.push(db);
      const show = async (name: 'transaction_isolation' | 'transaction_read_only') =>
        ((await db.sql<Setting>`SELECT current_setting(${name}) AS ${db.sql.id(name)}`)[0] as Setting)[name];
      for (const isolation of ['serializable', 'repeatable read', 'read committed'] as const) {
        await db.transaction(
          async () => {
            expect(await show('transaction_isolation')).toBe(isolation);
            expect(await show('transaction_read_only')).toBe('on');
          },
          { isolation, readOnly: true },
        );
      }
      // The next transaction, on the same connection, has the server's defaults again.
      await db.transaction(async () => {
        expect(await show('transaction_isolation')).toBe('read committed');
        expect(await show('transaction_read_only')).toBe('off');
      });
    });
  }
});
