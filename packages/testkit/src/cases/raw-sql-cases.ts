import {
  DatabaseError,
  UniqueViolationError,
  UnsupportedFeatureError,
  ValidationError,
  sql,
  uuidv7,
} from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Ledger, Membership } from '../conformance-entities.js';
import type { EscapeHatchFeatures } from '../support/escape-hatch-features.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

const ledgerTable = sql.id(Ledger.name);
const labels = (rows: readonly { label: unknown }[]) => rows.map((r) => String(r.label)).sort();

/**
 * The driver's collection, as far as these cases use it: a structural subset of the MongoDB driver's
 * `Collection`, so the suite needs no driver of its own.
 */
interface CollectionLike {
  insertOne(doc: Record<string, unknown>, options: { session: unknown }): Promise<unknown>;
  find(filter: Record<string, unknown>, options: { session: unknown }): { toArray(): Promise<unknown[]> };
}
type CollectionAccess = { collection: CollectionLike; session: unknown };

/** Raw SQL (`db.sql`, `db.execute`, `sql.id`, `sql.join`) or, on document stores, `db.collection`. */
export function rawSqlCases(ctx: SuiteContext, features: EscapeHatchFeatures): void {
  describe('escape hatches: raw SQL and driver collections', () => {
    const db = ctx.shared();
    beforeEach(() => ctx.clear(db(), Ledger, Membership));

    if (!features.rawSql) {
      it('raw SQL is refused with UnsupportedFeatureError before anything is sent', async () => {
        const fresh = await ctx.open();
        const sent: string[] = [];
        fresh.on('query', (e) => sent.push(e.statement));
        const error = await rejection(fresh.sql`SELECT 1`, UnsupportedFeatureError);
        expect(error).toMatchObject({ code: 'UNSUPPORTED_FEATURE', feature: 'raw-sql', retryable: false });
        await rejection(fresh.execute`DELETE FROM x`, UnsupportedFeatureError);
        expect(sent).toEqual([]);
      });
    }

    if (features.nativeCollection) {
      it('db.collection hands the driver collection and session; it reads what berth wrote', async () => {
        const row = await db().repository(Ledger).insert({ label: 'berth', amount: 1 });
        const docs = await db().collection(Ledger, async ({ collection, session }: CollectionAccess) =>
          collection.find({}, { session }).toArray(),
        );
        expect(docs).toHaveLength(1);
        expect(docs[0]).toMatchObject({ _id: row.id, label: 'berth' });
      });

      if (ctx.capabilities.transactions) {
        it('inside a transaction the session carries it: writes are seen by the transaction and roll back with it', async () => {
          const failure = new Error('roll back');
          const caught = await db()
            .transaction(async (tx) => {
              await tx.collection(Ledger, async ({ collection, session }: CollectionAccess) => {
                await collection.insertOne(
                  { _id: uuidv7(), label: 'native', amount: 2, version: 1 },
                  { session },
                );
              });
              // Ambient: db.collection inside the callback joins the same transaction.
              await db().collection(Ledger, async ({ collection, session }: CollectionAccess) => {
                await collection.insertOne(
                  { _id: uuidv7(), label: 'ambient', amount: 3, version: 1 },
                  { session },
                );
              });
              expect(labels((await tx.repository(Ledger).find()).items)).toEqual(['ambient', 'native']);
              expect(await ctx.raw(Ledger)).toEqual([]);
              throw failure;
            })
            .catch((error: unknown) => error);
          expect(caught).toBe(failure);
          expect(await ctx.raw(Ledger)).toEqual([]);
        });

        it('a transaction that commits keeps what was written through the driver collection', async () => {
          await db().transaction(async (tx) => {
            await tx.collection(Ledger, async ({ collection, session }: CollectionAccess) => {
              await collection.insertOne(
                { _id: uuidv7(), label: 'kept', amount: 4, version: 1 },
                { session },
              );
            });
          });
          expect(labels(await ctx.raw(Ledger))).toEqual(['kept']);
        });
      }
    } else {
      it('db.collection is refused with UnsupportedFeatureError', async () => {
        const error = await rejection(
          db().collection(Ledger, async () => 'never'),
          UnsupportedFeatureError,
        );
        expect(error.feature).toBe('native-collection');
      });
    }

    if (!features.rawSql) return;

    it('db.sql returns the rows, each interpolated value bound as a parameter', async () => {
      await db()
        .repository(Ledger)
        .insertMany([
          { label: 'a', amount: 1 },
          { label: 'b', amount: 2 },
          { label: 'c', amount: 3 },
        ]);
      const min = 2;
      const rows = await db().sql<{ label: string; amount: number | string }>`
        SELECT label, amount FROM ${ledgerTable} WHERE amount >= ${min} ORDER BY label`;
      expect(rows.map((r) => ({ label: r.label, amount: Number(r.amount) }))).toEqual([
        { label: 'b', amount: 2 },
        { label: 'c', amount: 3 },
      ]);
    });

    it('injection attempts stay values: they match nothing and are stored verbatim', async () => {
      await db().repository(Ledger).insert({ label: 'victim', amount: 1 });
      const hostile = "x' OR '1'='1";
      expect(await db().sql`SELECT id FROM ${ledgerTable} WHERE label = ${hostile}`).toEqual([]);
      const drop = `'); DROP TABLE ${Ledger.name}; --`;
      const id = uuidv7();
      const inserted = await db().execute`
        INSERT INTO ${ledgerTable} (id, label, amount, version) VALUES (${id}, ${drop}, ${5}, ${1})`;
      expect(inserted).toBe(1);
      expect(labels(await ctx.raw(Ledger))).toEqual([drop, 'victim'].sort());
    });

    it('sql.id quotes a hostile identifier as one name, and refuses empty or NUL names', async () => {
      const hostile = sql.id(`${Ledger.name}"; DROP TABLE ${Ledger.name}; --`);
      await rejection(db().sql`SELECT * FROM ${hostile}`, DatabaseError);
      const backtick = sql.id(`${Ledger.name}\`; DROP TABLE ${Ledger.name}; --`);
      await rejection(db().sql`SELECT * FROM ${backtick}`, DatabaseError);
      expect(await db().repository(Ledger).count()).toBe(0);
      expect(() => sql.id('')).toThrow(ValidationError);
      expect(() => db().sql.id('bad\0name')).toThrow(ValidationError);
      expect(() => sql.id()).toThrow(ValidationError);
    });

    it('fragments compose: nested templates and sql.join keep every value bound', async () => {
      await db()
        .repository(Ledger)
        .insertMany([
          { label: 'a', amount: 1 },
          { label: 'b', amount: 2 },
          { label: "c'", amount: 3 },
        ]);
      const wanted = sql`label IN (${sql.join(['a', "c'", 'zz'])})`;
      const columns = sql.join([sql.id('label'), sql.id('amount')]);
      const rows = await db().sql<{ label: string }>`SELECT ${columns} FROM ${ledgerTable} WHERE ${wanted}`;
      expect(labels(rows)).toEqual(['a', "c'"]);
      const byFragment = await db().sql(sql`SELECT label FROM ${ledgerTable} WHERE amount = ${2}`);
      expect(labels(byFragment as { label: unknown }[])).toEqual(['b']);
      expect(() => sql.join([])).toThrow(ValidationError);
    });

    it('db.execute resolves to the number of rows affected', async () => {
      await db()
        .repository(Ledger)
        .insertMany([
          { label: 'a', amount: 1 },
          { label: 'b', amount: 1 },
          { label: 'c', amount: 2 },
        ]);
      expect(await db().execute`UPDATE ${ledgerTable} SET amount = ${10} WHERE amount = ${1}`).toBe(2);
      expect(await db().execute`DELETE FROM ${ledgerTable} WHERE amount = ${10}`).toBe(2);
      expect(await db().execute`DELETE FROM ${ledgerTable} WHERE amount = ${99}`).toBe(0);
      expect(labels(await ctx.raw(Ledger))).toEqual(['c']);
    });

    it('a unique violation in raw SQL is UniqueViolationError; a syntax error is DatabaseError', async () => {
      const insert = (role: string) => db().execute`
        INSERT INTO ${sql.id(Membership.name)} (id, ${sql.id('teamId')}, ${sql.id('userId')}, role)
        VALUES (${uuidv7()}, ${'t'}, ${'u'}, ${role})`;
      await insert('first');
      const error = await rejection(insert('second'), UniqueViolationError);
      expect(error.code).toBe('UNIQUE_VIOLATION');
      await rejection(db().sql`SELEC nonsense`, DatabaseError);
      expect(await db().repository(Membership).count()).toBe(1);
    });

    if (ctx.capabilities.transactions) {
      it('inside a transaction (tx.sql and ambient db.sql) raw SQL sees uncommitted rows and rolls back with it', async () => {
        const failure = new Error('roll back');
        const caught = await db()
          .transaction(async (tx) => {
            await tx.repository(Ledger).insert({ label: 'uncommitted', amount: 1 });
            expect(labels(await tx.sql<{ label: string }>`SELECT label FROM ${ledgerTable}`)).toEqual([
              'uncommitted',
            ]);
            await db().execute`
              INSERT INTO ${ledgerTable} (id, label, amount, version) VALUES (${uuidv7()}, ${'raw'}, ${2}, ${1})`;
            expect(await tx.repository(Ledger).count()).toBe(2);
            expect(labels(await db().sql<{ label: string }>`SELECT label FROM ${ledgerTable}`)).toEqual([
              'raw',
              'uncommitted',
            ]);
            throw failure;
          })
          .catch((error: unknown) => error);
        expect(caught).toBe(failure);
        expect(await ctx.raw(Ledger)).toEqual([]);
      });

      it('raw SQL in a committed transaction is kept', async () => {
        await db().transaction(async (tx) => {
          await tx.execute`
            INSERT INTO ${ledgerTable} (id, label, amount, version) VALUES (${uuidv7()}, ${'kept'}, ${2}, ${1})`;
        });
        expect(labels(await ctx.raw(Ledger))).toEqual(['kept']);
      });
    }
  });
}
