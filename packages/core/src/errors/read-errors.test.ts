import { describe, expect, it } from 'vitest';
import { BerthError } from './berth-error.js';
import { TooManyRowsError } from './too-many-rows-error.js';
import { TransactionRequiredError } from './transaction-required-error.js';
import { UnsupportedError } from './unsupported-error.js';

describe('the errors of the read surface', () => {
  it('UnsupportedError names the feature, is not retryable', () => {
    const error = new UnsupportedError('locking reads');
    expect(error).toBeInstanceOf(BerthError);
    expect(error).toMatchObject({
      code: 'UNSUPPORTED',
      retryable: false,
      feature: 'locking reads',
      name: 'UnsupportedError',
    });
    expect(error.message).toBe('locking reads is not supported by this backend');
  });

  it('TransactionRequiredError names the operation', () => {
    const error = new TransactionRequiredError('a locking read');
    expect(error).toMatchObject({
      code: 'TRANSACTION_REQUIRED',
      retryable: false,
      operation: 'a locking read',
    });
    expect(error.message).toMatch(/needs a transaction/);
  });

  it('TooManyRowsError names the entity and the cap, and says what to do', () => {
    const error = new TooManyRowsError('employees', 10_000);
    expect(error).toMatchObject({
      code: 'TOO_MANY_ROWS',
      retryable: false,
      entity: 'employees',
      maxRows: 10_000,
    });
    expect(error.message).toMatch(/limit: 'all'/);
  });
});
