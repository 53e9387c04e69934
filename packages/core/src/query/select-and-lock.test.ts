import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../driver/capabilities.js';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { TransactionRequiredError } from '../errors/transaction-required-error.js';
import { UnsupportedError } from '../errors/unsupported-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { parseLock } from './row-lock.js';
import { parseSelect } from './select.js';

const E = defineEntity('people', {
  id: field.id(),
  name: field.string(),
  salary: field.integer(),
  meta: field.json(),
});
const SQL: Capabilities = {
  multipleConnections: true,
  transactions: true,
  savepoints: true,
  returning: true,
  lockingReads: true,
};
const DOCS: Capabilities = { ...SQL, lockingReads: false, savepoints: false };

describe('parseSelect', () => {
  it('returns the selected fields in the entity order, JSON fields included', () => {
    expect(parseSelect(E, { salary: true, id: true, meta: true })).toEqual(['id', 'salary', 'meta']);
    expect(parseSelect(E, undefined)).toBeUndefined();
  });

  it('refuses unknown fields, non-true values, empty and non-object selects', () => {
    for (const select of [
      { bogus: true },
      { name: false },
      { name: 1 },
      {},
      ['name'],
      'name',
      null,
      { toString: true },
    ]) {
      expect(() => parseSelect(E, select), JSON.stringify(select)).toThrow(ValidationError);
    }
  });
});

describe('parseLock', () => {
  it('normalizes a mode or a mode with onLocked', () => {
    expect(parseLock('forUpdate', SQL, true)).toEqual({ mode: 'forUpdate', onLocked: 'wait' });
    expect(parseLock({ mode: 'forShare', onLocked: 'skipLocked' }, SQL, true)).toEqual({
      mode: 'forShare',
      onLocked: 'skipLocked',
    });
    expect(parseLock({ mode: 'forUpdate' }, SQL, true)).toEqual({ mode: 'forUpdate', onLocked: 'wait' });
    expect(parseLock(undefined, DOCS, false)).toBeUndefined();
  });

  it('refuses malformed locks with ValidationError', () => {
    for (const lock of [
      'update',
      { mode: 'forUpdate', onLocked: 'later' },
      { mode: 'x' },
      { mode: 'forUpdate', extra: 1 },
      true,
      null,
    ]) {
      expect(() => parseLock(lock, SQL, true), JSON.stringify(lock)).toThrow(ValidationError);
    }
  });

  it('refuses a lock where the backend has none (UnsupportedError), then outside a transaction', () => {
    const unsupported = (() => {
      try {
        parseLock('forUpdate', DOCS, true);
      } catch (error) {
        return error;
      }
    })();
    expect(unsupported).toBeInstanceOf(UnsupportedError);
    expect(unsupported).toMatchObject({ code: 'UNSUPPORTED', feature: 'locking reads', retryable: false });
    expect(() => parseLock('forUpdate', { ...SQL, lockingReads: undefined }, true)).toThrow(UnsupportedError);
    expect(() => parseLock('forShare', SQL, false)).toThrow(TransactionRequiredError);
    expect(() => parseLock('forShare', SQL, false)).toThrow(
      expect.objectContaining({ code: 'TRANSACTION_REQUIRED' }),
    );
  });
});
