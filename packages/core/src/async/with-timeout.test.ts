import { describe, expect, it } from 'vitest';
import { asError, withTimeout } from './with-timeout.js';

describe('asError', () => {
  it('keeps an Error as it is and wraps anything else', () => {
    const error = new TypeError('t');
    expect(asError(error)).toBe(error);
    expect(asError('lost')).toEqual(new Error('lost'));
    expect(asError(undefined).message).toBe('undefined');
  });
});

describe('withTimeout', () => {
  it('settles as the promise does when it answers in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('no')), 1_000)).rejects.toThrow('no');
  });

  it('rejects naming the bound when the promise does not answer', async () => {
    await expect(withTimeout(new Promise(() => {}), 5)).rejects.toThrow('timed out after 5 ms');
  });
});
