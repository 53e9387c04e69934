import { describe, expect, it } from 'vitest';
import { BerthError } from './berth-error.js';
import { ConnectionLostError } from './connection-lost-error.js';
import { UniqueViolationError } from './unique-violation-error.js';

/**
 * What a second copy of `@berth/core` produces: classes of the same names, not the same objects, whose
 * instances carry the shared brand. (The consumer check proves the same with two real installed copies.)
 */
function secondCopy() {
  const brand = Symbol.for('berth.error');
  abstract class OtherBerthError extends Error {
    readonly [brand] = true;
  }
  Object.defineProperty(OtherBerthError, 'name', { value: 'BerthError' });
  class OtherUniqueViolationError extends OtherBerthError {
    readonly code = 'UNIQUE_VIOLATION';
    readonly retryable = false;
  }
  Object.defineProperty(OtherUniqueViolationError, 'name', { value: 'UniqueViolationError' });
  return { OtherUniqueViolationError };
}

describe('errors across copies of core', () => {
  const { OtherUniqueViolationError } = secondCopy();
  const foreign = new OtherUniqueViolationError('duplicate');

  it('is recognised by BerthError.is and by instanceof of the same class name', () => {
    expect(BerthError.is(foreign)).toBe(true);
    expect(foreign instanceof BerthError).toBe(true);
    expect(foreign instanceof UniqueViolationError).toBe(true);
  });

  it('is not taken for another class', () => {
    expect(foreign instanceof ConnectionLostError).toBe(false);
  });

  it('leaves plain errors and look-alikes out', () => {
    expect(BerthError.is(new Error('x'))).toBe(false);
    expect(BerthError.is({ code: 'UNIQUE_VIOLATION' })).toBe(false);
    expect(BerthError.is(null)).toBe(false);
    expect(BerthError.is('UNIQUE_VIOLATION')).toBe(false);
    const unbranded = new (class UniqueViolationError extends Error {})();
    expect(unbranded instanceof UniqueViolationError).toBe(false);
  });

  it('keeps the ordinary checks for errors of this copy', () => {
    const own = new ConnectionLostError();
    expect(BerthError.is(own)).toBe(true);
    expect(own instanceof ConnectionLostError).toBe(true);
    expect(own instanceof BerthError).toBe(true);
    expect(own instanceof Error).toBe(true);
    expect(own instanceof UniqueViolationError).toBe(false);
  });
});
