import {
  AdapterNotInstalledError,
  BerthError,
  ConnectionLostError,
  DatabaseError,
  NotFoundError,
  OptimisticLockError,
  PoolClosedError,
  PoolTimeoutError,
  StatementTimeoutError,
  TransactionConflictError,
  TransactionsUnsupportedError,
  UniqueViolationError,
  ValidationError,
  connect,
} from '@berth/core';
import { inspect } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { Membership, Widget } from '../conformance-entities.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

const MISSING_ID = '0192f6e4-7b3a-7c4d-8e5f-000000000000';

export function errorCases(ctx: SuiteContext): void {
  describe('errors', () => {
    const db = ctx.shared();
    const widgets = () => db().repository(Widget);
    beforeEach(() => ctx.clear(db(), Widget, Membership));

    it('a duplicate unique field on insert raises UniqueViolationError naming the field', async () => {
      const first = await widgets().insert({ label: 'first', code: 'dup' });
      const error = await rejection(widgets().insert({ label: 'second', code: 'dup' }), UniqueViolationError);
      expect(error.fields).toEqual(['code']);
      expect(error).toMatchObject({ code: 'UNIQUE_VIOLATION', retryable: false });
      if (error.entity !== undefined) expect(error.entity).toBe(Widget.name);
      expect(await ctx.raw(Widget)).toEqual([first]);
    });

    it('a duplicate unique field on update raises UniqueViolationError and changes nothing', async () => {
      const a = await widgets().insert({ label: 'a', code: 'code-a' });
      const b = await widgets().insert({ label: 'b', code: 'code-b' });
      const error = await rejection(
        widgets().update(b.id, { code: 'code-a', label: 'b2' }),
        UniqueViolationError,
      );
      expect(error.fields).toEqual(['code']);
      expect(await ctx.raw(Widget)).toEqual([a, b]);
    });

    it('a duplicate on a compound unique index names its fields', async () => {
      const members = db().repository(Membership);
      const first = await members.insert({ teamId: 't1', userId: 'u1', role: 'owner' });
      await members.insert({ teamId: 't1', userId: 'u2', role: 'member' });
      await members.insert({ teamId: 't2', userId: 'u1', role: 'member' });
      const error = await rejection(
        members.insert({ teamId: 't1', userId: 'u1', role: 'again' }),
        UniqueViolationError,
      );
      expect(error.fields).toEqual(['teamId', 'userId']);
      const third = (await members.findOne({ teamId: 't2' }))!;
      const onUpdate = await rejection(members.update(third.id, { teamId: 't1' }), UniqueViolationError);
      expect(onUpdate.fields).toEqual(['teamId', 'userId']);
      expect((await ctx.raw(Membership)).length).toBe(3);
      expect(await ctx.rawById(Membership, first.id)).toEqual(first);
    });

    it('NotFoundError for getById, update and delete of a missing row', async () => {
      for (const work of [
        () => widgets().getById(MISSING_ID),
        () => widgets().update(MISSING_ID, { label: 'x' }),
        () => widgets().update(MISSING_ID, { label: 'x' }, { expectedVersion: 1 }),
        () => widgets().delete(MISSING_ID),
        () => widgets().delete(MISSING_ID, { expectedVersion: 1 }),
      ]) {
        const error = await rejection(work(), NotFoundError);
        expect(error).toMatchObject({
          entity: Widget.name,
          id: MISSING_ID,
          code: 'NOT_FOUND',
          retryable: false,
        });
      }
    });

    it('OptimisticLockError carries the expected and actual versions and is not retryable', async () => {
      const row = await widgets().insert({ label: 'row', code: 'lock' });
      await widgets().update(row.id, { label: 'row 2' });
      const error = await rejection(
        widgets().update(row.id, { label: 'row 3' }, { expectedVersion: 1 }),
        OptimisticLockError,
      );
      expect(error).toMatchObject({
        entity: Widget.name,
        id: row.id,
        expectedVersion: 1,
        actualVersion: 2,
        code: 'OPTIMISTIC_LOCK',
        retryable: false,
      });
      for (const expectedVersion of [0, -1, 1.5, Number.NaN]) {
        await rejection(widgets().update(row.id, { label: 'x' }, { expectedVersion }), ValidationError);
        await rejection(widgets().delete(row.id, { expectedVersion }), ValidationError);
      }
      expect((await ctx.rawById(Widget, row.id))?.label).toBe('row 2');
    });

    it('invalid input raises ValidationError naming the field, and writes nothing', async () => {
      const row = await widgets().insert({ label: 'valid', code: 'valid' });
      const invalid: Array<[string, Record<string, unknown>]> = [
        ['label', { label: 'x'.repeat(201) }],
        ['label', { label: '🚀'.repeat(201) }],
        ['label', { label: '' }],
        ['label', { label: 'nul\u0000char' }],
        ['label', { label: 42 }],
        ['label', { label: null }],
        ['code', { code: 'y'.repeat(65) }],
        ['count', { count: 2 ** 53 }],
        ['count', { count: -(2 ** 53) }],
        ['count', { count: 1.5 }],
        ['count', { count: '5' }],
        ['count', { count: 5n }],
        ['count', { count: Number.NaN }],
        ['ratio', { ratio: Number.POSITIVE_INFINITY }],
        ['ratio', { ratio: '0.5' }],
        ['score', { score: 1_001 }],
        ['score', { score: -1_001 }],
        ['enabled', { enabled: 'true' }],
        ['enabled', { enabled: 1 }],
        ['happenedAt', { happenedAt: new Date(Number.NaN) }],
        ['happenedAt', { happenedAt: '2024-01-01T00:00:00.000Z' }],
        ['happenedAt', { happenedAt: Date.UTC(2024, 0, 1) }],
        ['happenedAt', { happenedAt: new Date(Date.UTC(99_999, 0, 1)) }],
        ['payload', { payload: { bad: Number.NaN } }],
        ['payload', { payload: { bad: 'nul\u0000' } }],
        ['payload', { payload: new Map() }],
        ['payload', { payload: () => 1 }],
        ['note', { note: 'z'.repeat(101) }],
        ['note', { note: 7 }],
        ['nope', { nope: 1 }],
        ['id', { id: MISSING_ID }],
        ['version', { version: 2 }],
        ['createdAt', { createdAt: new Date() }],
      ];
      for (const [fieldName, values] of invalid) {
        const insert = await rejection(
          widgets().insert({ label: 'base', code: `c-${fieldName}`, ...values } as never),
          ValidationError,
        );
        expect(
          insert.issues.map((i) => i.field),
          inspect(values),
        ).toContain(fieldName);
        expect(insert).toMatchObject({ code: 'VALIDATION', retryable: false });
        const update = await rejection(widgets().update(row.id, values as never), ValidationError);
        expect(update.issues.map((i) => i.field)).toContain(fieldName);
      }
      for (const notAnObject of [null, 'label', 42, [], new Date()]) {
        await rejection(widgets().insert(notAnObject as never), ValidationError);
        await rejection(widgets().update(row.id, notAnObject as never), ValidationError);
      }
      await rejection(widgets().insert({ code: 'missing label' } as never), ValidationError);
      await rejection(widgets().insertMany('not an array' as never), ValidationError);
      await rejection(widgets().findById(42 as never), ValidationError);
      expect(await ctx.raw(Widget)).toEqual([row]);
    });

    it('error classes carry their documented codes and retryable flags', () => {
      const stats = { max: 1, total: 1, idle: 0, inUse: 1, waiting: 0 };
      const table: Array<[BerthError, string, boolean]> = [
        [new ValidationError('v'), 'VALIDATION', false],
        [new NotFoundError('e', 'id'), 'NOT_FOUND', false],
        [new OptimisticLockError('e', 'id', 1, 2), 'OPTIMISTIC_LOCK', false],
        [new UniqueViolationError('e', ['f']), 'UNIQUE_VIOLATION', false],
        [new TransactionsUnsupportedError(), 'TRANSACTIONS_UNSUPPORTED', false],
        [new PoolClosedError(), 'POOL_CLOSED', false],
        [new DatabaseError('d'), 'DATABASE_ERROR', false],
        [new AdapterNotInstalledError('x', '@berth/x'), 'ADAPTER_NOT_INSTALLED', false],
        [new PoolTimeoutError(1, stats), 'POOL_TIMEOUT', true],
        [new ConnectionLostError(), 'CONNECTION_LOST', true],
        [new StatementTimeoutError(), 'STATEMENT_TIMEOUT', true],
        [new TransactionConflictError(), 'TRANSACTION_CONFLICT', true],
      ];
      for (const [error, code, retryable] of table) {
        expect(error).toBeInstanceOf(BerthError);
        expect(error).toBeInstanceOf(Error);
        expect({ name: error.name, code: error.code, retryable: error.retryable }).toEqual({
          name: error.constructor.name,
          code,
          retryable,
        });
      }
    });

    it('connect() with an unknown or missing URL scheme raises ValidationError without touching a database', async () => {
      for (const url of ['nosuchdb://localhost/x', 'not a url', '', 'http://example.com', ':memory:']) {
        await rejection(connect(url), ValidationError);
      }
    });
  });
}
