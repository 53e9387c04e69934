import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Database } from '../database.js';
import { CommitOutcomeUnknownError } from '../errors/commit-outcome-unknown-error.js';
import { ConnectionLostError } from '../errors/connection-lost-error.js';
import { TransactionConflictError } from '../errors/transaction-conflict-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Transaction } from '../session.js';
import { isRetryableConflict, retryDelayMs } from './retry.js';
import {
  type TransactionAttempt,
  type TransactionOptions,
  beginOptionsOf,
  validateTransactionOptions,
} from './transaction-options.js';

describe('validateTransactionOptions', () => {
  it('accepts the documented options', () => {
    const options = {
      isolation: 'serializable',
      readOnly: true,
      retry: { attempts: 3, backoff: { baseMs: 5, maxMs: 50 } },
    } as const;
    expect(validateTransactionOptions(options)).toBe(options);
    expect(validateTransactionOptions(undefined)).toEqual({});
  });

  it.each([
    [{ isolation: 'snapshot' }, /isolation must be one of/],
    [{ readOnly: 1 }, /readOnly must be a boolean/],
    [{ retry: { attempts: 0 } }, /attempts must be an integer/],
    [{ retry: { attempts: Number.NaN } }, /attempts must be an integer/],
    [{ retry: 3 }, /retry must be an object/],
    [{ retry: { attempts: 2, backoff: { maxMs: Number.POSITIVE_INFINITY } } }, /backoff.maxMs/],
    [{ retry: { attempts: 2, backoff: 'fast' } }, /backoff must be an object/],
    [{ isolationLevel: 'serializable' }, /unknown option "isolationLevel"/],
    [null, /expected an object/],
  ])('refuses %j', (options, message) => {
    expect(() => validateTransactionOptions(options)).toThrow(ValidationError);
    expect(() => validateTransactionOptions(options)).toThrow(message);
  });

  it('beginOptionsOf is undefined without isolation or readOnly (the plain BEGIN path)', () => {
    expect(beginOptionsOf({ retry: { attempts: 2 } })).toBeUndefined();
    expect(beginOptionsOf({ readOnly: false })).toEqual({ isolation: undefined, readOnly: false });
  });
});

describe('retry', () => {
  it('delays with full jitter under an exponentially growing cap, bounded by maxMs', () => {
    const top = () => 0.999_999;
    expect(retryDelayMs(2, { baseMs: 10, maxMs: 1_000 }, top)).toBe(9);
    expect(retryDelayMs(3, { baseMs: 10, maxMs: 1_000 }, top)).toBe(19);
    expect(retryDelayMs(5, { baseMs: 10, maxMs: 1_000 }, top)).toBe(79);
    expect(retryDelayMs(20, { baseMs: 10, maxMs: 1_000 }, top)).toBe(999);
    expect(retryDelayMs(4, {}, () => 0)).toBe(0);
    expect(retryDelayMs(2, undefined, () => 0.5)).toBe(5);
  });

  it('retries only retryable conflicts, never an unknown commit outcome', () => {
    expect(isRetryableConflict(new TransactionConflictError())).toBe(true);
    expect(isRetryableConflict(new CommitOutcomeUnknownError())).toBe(false);
    expect(isRetryableConflict(new ConnectionLostError('lost'))).toBe(false);
    expect(isRetryableConflict(new Error('other'))).toBe(false);
  });
});

describe('transaction types', () => {
  it('the callback gets the transaction and its attempt; options are checked at compile time', () => {
    const use = (db: Database) => {
      expectTypeOf(db.transaction(async (tx, { attempt }) => ({ tx, attempt }))).toEqualTypeOf<
        Promise<{ tx: Transaction; attempt: number }>
      >();
      expectTypeOf<Parameters<Database['transaction']>[1]>().toEqualTypeOf<TransactionOptions | undefined>();
      expectTypeOf<TransactionAttempt>().toEqualTypeOf<{ readonly attempt: number }>();
      // @ts-expect-error unknown isolation level
      db.transaction(async () => 1, { isolation: 'snapshot' });
      // @ts-expect-error retry needs attempts
      db.transaction(async () => 1, { retry: {} });
      // @ts-expect-error unknown option
      db.transaction(async () => 1, { timeout: 5 });
    };
    expect(typeof use).toBe('function');
  });
});
