import { Database } from '@berth/core';
import { createMysqlDialect } from '@berth/sql';
import { Ticket } from '@berth/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { MysqlConnection } from '../src/mysql-connection.js';
import { MysqlDriver } from '../src/mysql-driver.js';
import { parseMysqlUrl } from '../src/mysql-url.js';
import { TEST_URL, serverAvailable } from './support/test-server.js';

const open: Database[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((db) => db.close(1_000)));
});

describe.skipIf(!serverAvailable())('database-generated ids without INSERT ... RETURNING', () => {
  it('as on MySQL 8: each row its own INSERT, its id the insert id, all in one transaction', async () => {
    const db = await Database.open(new MysqlDriver({ ...parseMysqlUrl(TEST_URL), max: 1 }), {
      entities: [Ticket],
    });
    open.push(db);
    await db.ensureSchema();
    await db.repository(Ticket).deleteMany({});
    const lease = await db.pool.acquire();
    try {
      const native = (lease.connection as MysqlConnection).native;
      // The same socket, spoken to as a MySQL 8 server would be: no INSERT ... RETURNING.
      const server = { flavour: 'mysql' as const, version: '8.0', dialect: createMysqlDialect() };
      const mysql8 = new MysqlConnection(native, server, lease.connection.id);
      const rows = [
        { title: 'x1', points: 1, version: 1, updatedAt: new Date() },
        { title: 'x2', points: 2, version: 1, updatedAt: new Date() },
        { title: 'x3', points: 3, version: 1, updatedAt: new Date() },
      ];
      await mysql8.insert({ entity: Ticket, rows });
      const ids = rows.map((row) => (row as { id?: unknown }).id);
      expect(ids.every((id) => typeof id === 'number')).toBe(true);
      expect(new Set(ids).size).toBe(3);
      for (const row of rows) {
        const [stored] = await mysql8.find({
          entity: Ticket,
          where: { type: 'compare', field: 'id', op: 'eq', value: (row as unknown as { id: number }).id },
          orderBy: [{ field: 'id', direction: 'asc' }],
        });
        expect(stored).toMatchObject({ title: row.title, points: row.points });
      }
    } finally {
      await db.pool.release(lease);
    }
  });
});
