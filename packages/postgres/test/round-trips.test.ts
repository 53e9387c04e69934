import { OptimisticLockError, OutOfBoundsError } from '@berth/core';
import { Counter, Item } from '@berth/testkit';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { closeTestDatabases, openTestDatabase } from './support/test-database.js';

/**
 * Statements sent per write, counted where they leave for the server: `pg.Client#query`, which every
 * statement of the adapter goes through (plain or prepared).
 */
let keys = 0;
/** A short key no other row of this run holds. */
function key(): string {
  return `rt${process.pid % 10_000}-${++keys}`;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await closeTestDatabases();
});

describe.runIf(inject('postgresAvailable'))('round trips of writes on PostgreSQL', () => {
  for (const preparedStatements of [false, true]) {
    describe(preparedStatements ? 'prepared statements' : 'plain statements', () => {
      let sent: string[];
      const open = async () => {
        const { db } = await openTestDatabase({ label: 'trips', driver: { max: 1, preparedStatements } });
        await db.ensureSchema([Item, Counter]);
        // A first statement warms the one connection, so acquisition sends nothing during the counts.
        await db.repository(Item).count({});
        return db;
      };
      beforeEach(() => {
        sent = [];
        const query = pg.Client.prototype.query;
        vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
          this: pg.Client,
          ...args: unknown[]
        ) {
          const first = args[0] as string | { text: string };
          sent.push(typeof first === 'string' ? first : first.text);
          return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
        });
      });
      const counted = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
        sent.length = 0;
        const result = await work();
        return { result, statements: [...sent] };
      };

      it('a versioned update, an update with operators and an unversioned one are ONE statement on success', async () => {
        const db = await open();
        const items = db.repository(Item);
        const row = await items.insert({
          sku: key(),
          barcode: key(),
          warehouse: 'w',
          bin: key(),
          name: 'n',
          stock: 5,
          price: 1,
          tag: null,
          level: null,
        });
        const versioned = await counted(() => items.update(row.id, { name: 'v2' }, { expectedVersion: 1 }));
        expect(versioned.result.version).toBe(2);
        expect(versioned.statements).toHaveLength(1);
        expect(versioned.statements[0]).toMatch(/^UPDATE .* RETURNING /);
        const operator = await counted(() => items.update(row.id, { stock: { decrement: 2 } }));
        expect(operator.result).toMatchObject({ stock: 3, version: 3 });
        expect(operator.statements).toHaveLength(1);
        const counter = await db.repository(Counter).insert({ name: key(), hits: 0, score: 0 });
        const unversioned = await counted(() =>
          db.repository(Counter).update(counter.id, { hits: { increment: 1 } }),
        );
        expect(unversioned.statements).toHaveLength(1);
        // Failure paths read the row once, to say why: a version mismatch names the version found.
        const stale = await counted(() =>
          items.update(row.id, { name: 'x' }, { expectedVersion: 1 }).catch((error: unknown) => error),
        );
        expect(stale.result).toBeInstanceOf(OptimisticLockError);
        expect((stale.result as Error).message).toContain('expected version 1, found 3');
        expect(stale.statements).toHaveLength(2);
        const outside = await counted(() =>
          items.update(row.id, { stock: { decrement: 4 } }).catch((error: unknown) => error),
        );
        expect(outside.result).toBeInstanceOf(OutOfBoundsError);
        expect(outside.statements).toHaveLength(2);
        // A patch that changes nothing: the conditional write matches nothing, the read returns the row.
        const noop = await counted(() => items.update(row.id, { name: 'v2' }));
        expect(noop.result.version).toBe(3);
        expect(noop.statements).toHaveLength(2);
      });

      it('updateMany with a bounded operator, and an upsert, are one statement each', async () => {
        const db = await open();
        const items = db.repository(Item);
        const many = await counted(() =>
          items.updateMany({ name: 'nobody-has-this' }, { stock: { increment: 1 } }),
        );
        expect(many.result).toBe(0);
        expect(many.statements).toHaveLength(1);
        const sku = key();
        const create = {
          sku,
          barcode: key(),
          warehouse: 'w',
          bin: key(),
          name: 'n',
          stock: 1,
          price: 1,
          tag: null,
          level: null,
        };
        const upsert = await counted(() => items.upsert({ where: { sku }, create, update: { name: 'm' } }));
        expect(upsert.result.created).toBe(true);
        expect(upsert.statements).toHaveLength(1);
        expect(upsert.statements[0]).toMatch(/ON CONFLICT/);
      });
    });
  }
});
