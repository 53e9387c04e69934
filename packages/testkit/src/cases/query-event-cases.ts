import { type QueryEvent, UniqueViolationError, sql } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Account, Ledger } from '../conformance-entities.js';
import type { EscapeHatchFeatures } from '../support/escape-hatch-features.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

/** Collects the query events of a database. */
function recorder() {
  const events: QueryEvent[] = [];
  return { events, listener: (event: QueryEvent) => void events.push(event) };
}

const TRANSACTION_START = new Set(['BEGIN', 'START', 'SET', 'startTransaction']);
const TRANSACTION_COMMIT = new Set(['COMMIT', 'commitTransaction']);
const TRANSACTION_ROLLBACK = new Set(['ROLLBACK', 'abortTransaction']);

/** `db.on('query')`: one event per statement, with what it was, how long it took and where it ran. */
export function queryEventCases(ctx: SuiteContext, features: EscapeHatchFeatures): void {
  describe('query events', () => {
    const db = ctx.shared({ pool: { max: 2 } });
    beforeEach(() => ctx.clear(db(), Ledger, Account));

    it('findById is exactly one statement, described without its values', async () => {
      const row = await db().repository(Ledger).insert({ label: 'secret-label', amount: 1 });
      const { events, listener } = recorder();
      db().on('query', listener);
      try {
        expect(await db().repository(Ledger).findById(row.id)).toEqual(row);
      } finally {
        db().off('query', listener);
      }
      expect(events).toHaveLength(1);
      const [event] = events as [QueryEvent];
      expect(event).toMatchObject({
        backend: db().backend,
        rows: 1,
        inTransaction: false,
        collection: Ledger.name,
      });
      expect(['SELECT', 'find']).toContain(event.operation);
      expect(event.statement).not.toContain(row.id);
      expect(event.parameterCount).toBeGreaterThanOrEqual(1);
      expect(event.values).toBeUndefined();
      expect(event.error).toBeUndefined();
      expect(typeof event.connectionId).toBe('string');
      expect(event.connectionId.length).toBeGreaterThan(0);
      expect(Number.isFinite(event.durationMs) && event.durationMs >= 0).toBe(true);
    });

    if (ctx.capabilities.transactions) {
      it('a transaction with one insert is begin + insert + commit, all on one connection, in the transaction', async () => {
        const { events, listener } = recorder();
        db().on('query', listener);
        try {
          await db().transaction(async (tx) => {
            await tx.repository(Ledger).insert({ label: 'a', amount: 1 });
          });
        } finally {
          db().off('query', listener);
        }
        expect(events).toHaveLength(3);
        const [begin, insert, commit] = events as [QueryEvent, QueryEvent, QueryEvent];
        expect(TRANSACTION_START.has(begin.operation)).toBe(true);
        expect(['INSERT', 'insert']).toContain(insert.operation);
        expect(insert.rows).toBe(1);
        expect(TRANSACTION_COMMIT.has(commit.operation)).toBe(true);
        expect(events.every((e) => e.inTransaction)).toBe(true);
        expect(new Set(events.map((e) => e.connectionId)).size).toBe(1);
      });

      it('a rolled-back transaction reports its rollback; savepoints are reported where they exist', async () => {
        const { events, listener } = recorder();
        db().on('query', listener);
        try {
          await db()
            .transaction(async (tx) => {
              await tx.repository(Ledger).insert({ label: 'a', amount: 1 });
              throw new Error('undo');
            })
            .catch(() => undefined);
          expect(TRANSACTION_ROLLBACK.has(events.at(-1)!.operation)).toBe(true);
          events.length = 0;
          if (ctx.capabilities.savepoints) {
            await db().transaction(async (tx) => {
              await tx.transaction(async (inner) => inner.repository(Ledger).count());
            });
            expect(
              events.map((e) => e.operation).filter((op) => op === 'SAVEPOINT' || op === 'RELEASE'),
            ).toEqual(['SAVEPOINT', 'RELEASE']);
          }
        } finally {
          db().off('query', listener);
        }
      });
    }

    it('a failed statement is reported with its neutral error and 0 rows', async () => {
      const accounts = db().repository(Account);
      await accounts.insert({ email: 'dup@x', name: 'a', balance: 0 });
      const { events, listener } = recorder();
      db().on('query', listener);
      try {
        await rejection(accounts.insert({ email: 'dup@x', name: 'b', balance: 0 }), UniqueViolationError);
      } finally {
        db().off('query', listener);
      }
      expect(events).toHaveLength(1);
      expect(events[0]!.error).toBeInstanceOf(UniqueViolationError);
      expect(events[0]!.rows).toBe(0);
    });

    it('off() stops the events, and a listener that throws breaks nothing', async () => {
      const { events, listener } = recorder();
      const throwing = () => {
        throw new Error('listener bug');
      };
      db().on('query', listener).on('query', throwing);
      await db().repository(Ledger).count();
      db().off('query', listener).off('query', throwing);
      await db().repository(Ledger).count();
      expect(events).toHaveLength(1);
    });

    it('ensureSchema reports its DDL', async () => {
      const { events, listener } = recorder();
      db().on('query', listener);
      try {
        // Idempotent: the DDL is sent again (CREATE ... IF NOT EXISTS, createCollection) and reported.
        await db().ensureSchema([Ledger]);
      } finally {
        db().off('query', listener);
      }
      const operations = events.map((e) => e.operation);
      expect(operations.some((op) => op === 'CREATE' || op === 'createCollection')).toBe(true);
    });

    it('with queryEvents.includeValues the values are in the event; logQueries logs through the logger', async () => {
      const logged: Array<{ object: Record<string, unknown>; message: string }> = [];
      const logger = {
        debug: (object: object, message: string) =>
          logged.push({ object: object as Record<string, unknown>, message }),
      };
      const fresh = await ctx.open({ queryEvents: { includeValues: true }, logQueries: logger });
      const { events, listener } = recorder();
      fresh.on('query', listener);
      const row = await fresh.repository(Ledger).insert({ label: 'visible', amount: 7 });
      const insert = events.find((e) => e.operation === 'INSERT' || e.operation === 'insert')!;
      expect(JSON.stringify(insert.values)).toContain('visible');
      expect(JSON.stringify(insert.values)).toContain(row.id);
      const lastLog = logged.at(-1)!;
      expect(lastLog.message).toContain(insert.statement);
      expect(lastLog.object).toMatchObject({ backend: fresh.backend, connectionId: insert.connectionId });
      expect(lastLog.object.values).toBeDefined();
      await fresh.repository(Account).insert({ email: 'log@x', name: 'a', balance: 0 });
      await rejection(
        fresh.repository(Account).insert({ email: 'log@x', name: 'b', balance: 0 }),
        UniqueViolationError,
      );
      const failure = logged.at(-1)!;
      expect(failure.message).toMatch(/^failed: /);
      expect(failure.object.err).toBeInstanceOf(Error);
    });

    if (features.rawSql) {
      it('raw SQL is reported with its placeholders and parameter count', async () => {
        const { events, listener } = recorder();
        db().on('query', listener);
        try {
          await db()
            .sql`SELECT count(*) AS n FROM ${sql.id(Ledger.name)} WHERE label = ${'x'} OR amount = ${2}`;
        } finally {
          db().off('query', listener);
        }
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ operation: 'SELECT', parameterCount: 2, rows: 1 });
        expect(events[0]!.statement).not.toContain("'x'");
        expect(events[0]!.collection).toBeUndefined();
      });
    }
  });
}
