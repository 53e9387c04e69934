import { describe, expect, it } from 'vitest';
import type { Driver } from '../driver/driver.js';
import { ValidationError } from '../errors/validation-error.js';
import { Pool } from './pool.js';

/** Never opened: these cases stop at the options. */
const unopened: Driver = {
  backend: 'postgres',
  capabilities: { multipleConnections: true, transactions: true, savepoints: true, returning: true },
  max: 1,
  open: () => Promise.resolve(),
  acquire: () => Promise.reject(new Error('not used')),
  release: () => Promise.resolve(),
  nativeStats: () => ({ total: 0, idle: 0 }),
  close: () => Promise.resolve(),
};

describe('new Pool refuses durations Node cannot time', () => {
  it.each([
    ['acquireTimeoutMs', 2 ** 31],
    ['acquireTimeoutMs', 0],
    ['validationTimeoutMs', 2 ** 31],
    ['validateAfterIdleMs', -1],
    ['leakDetectionThresholdMs', Number.POSITIVE_INFINITY],
    ['closeTimeoutMs', 2 ** 32],
  ])('%s = %s', (name, value) => {
    expect(() => new Pool(unopened, { [name]: value })).toThrow(ValidationError);
    expect(() => new Pool(unopened, { [name]: value })).toThrow(new RegExp(`^${name} `));
  });

  it('close(timeoutMs) rejects a timeout past 2^31 - 1 ms instead of spinning a 1 ms timer', async () => {
    const pool = new Pool(unopened);
    await expect(pool.close(2 ** 31)).rejects.toThrow(ValidationError);
    await expect(pool.close(0)).resolves.toBeUndefined();
  });
});

describe('new Pool refuses a leakStackCapture it does not know', () => {
  it.each(['never', '', 1, null])('%s', (value) => {
    expect(() => new Pool(unopened, { leakStackCapture: value as never })).toThrow(ValidationError);
    expect(() => new Pool(unopened, { leakStackCapture: value as never })).toThrow(/^leakStackCapture /);
  });

  it('takes sampled and always', () => {
    expect(() => new Pool(unopened, { leakStackCapture: 'sampled' })).not.toThrow();
    expect(() => new Pool(unopened, { leakStackCapture: 'always' })).not.toThrow();
  });
});
