import { setTimeout as sleep } from 'node:timers/promises';
import { ValidationError } from '@berth/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Employee, openTestDatabase } from './support/fixtures.js';
import { serverAvailable } from './support/test-server.js';

type Trx = { level: string; readOnly: number | string };

/** What InnoDB says about the transaction berth opened: the options reach the server itself. */
describe.skipIf(!serverAvailable())('transaction options and raw SQL on MariaDB', () => {
  const open: Array<{ close(ms?: number): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close(1_000)));
  });

  it('isolation and read-only are InnoDB settings of the transaction, for that transaction only', async () => {
    const { db } = await openTestDatabase({ max: 1 });
    open.push(db);
    await db.ensureSchema();
    const current = async () => {
      // A transaction is registered with InnoDB once it reads a table.
      await db.sql`SELECT count(*) AS n FROM ${db.sql.id(Employee.name)}`;
      // InnoDB refreshes its information_schema.innodb_trx snapshot at most every 100 ms.
      await sleep(150);
      const rows = await db.sql<Trx>`
        SELECT trx_isolation_level AS level, trx_is_read_only AS ${db.sql.id('readOnly')}
        FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()`;
      return rows.map((r) => ({ level: r.level, readOnly: Number(r.readOnly) }));
    };
    for (const isolation of ['serializable', 'repeatable read', 'read committed'] as const) {
      await db.transaction(
        async () => {
          expect(await current()).toEqual([{ level: isolation.toUpperCase(), readOnly: 1 }]);
        },
        { isolation, readOnly: true },
      );
    }
    // SET TRANSACTION applied to one transaction only: the next one, on the same connection, has the defaults.
    await db.transaction(async () => {
      expect(await current()).toEqual([{ level: 'REPEATABLE READ', readOnly: 0 }]);
    });
  });

  it('a literal ? in raw SQL is refused before sending (it would be taken for a placeholder)', async () => {
    const { db } = await openTestDatabase({ max: 1 });
    open.push(db);
    await expect(db.sql`SELECT '?' AS q, ${1} AS n`).rejects.toBeInstanceOf(ValidationError);
    expect(await db.sql`SELECT ${'?'} AS q, ${1} AS n`).toEqual([{ q: '?', n: 1 }]);
  });
});
