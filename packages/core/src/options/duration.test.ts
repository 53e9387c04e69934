import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { checkPoolOptions } from '../pool/pool-options.js';
import { checkDriverDurations } from './driver-durations.js';
import { checkDuration, MAX_DURATION_MS } from './duration.js';

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('checkDuration', () => {
  it('accepts 0 to 2^31 - 1 and undefined', () => {
    expect(checkDuration('x', undefined)).toBeUndefined();
    expect(checkDuration('x', 0)).toBe(0);
    expect(checkDuration('x', 1.5)).toBe(1.5);
    expect(checkDuration('x', MAX_DURATION_MS)).toBe(2 ** 31 - 1);
  });

  it.each([
    [2 ** 31, /at most 2147483647/],
    [Number.POSITIVE_INFINITY, /finite/],
    [Number.NaN, /finite/],
    [-1, /at least 0/],
    ['1000', /finite/],
  ])('refuses %s with a ValidationError naming the option', (value, message) => {
    const error = refusal(() => checkDuration('someTimeoutMs', value));
    expect(error.message).toMatch(/^someTimeoutMs /);
    expect(error.message).toMatch(message);
    expect(error.issues).toEqual([{ field: 'someTimeoutMs', message: expect.any(String) }]);
    expect(error.code).toBe('VALIDATION');
  });

  it('honours min and integer', () => {
    expect(refusal(() => checkDuration('t', 0, { min: 1 })).message).toMatch(/at least 1 ms/);
    expect(refusal(() => checkDuration('t', 1.5, { integer: true })).message).toMatch(/whole/);
    expect(checkDuration('t', 2, { min: 1, integer: true })).toBe(2);
  });
});

describe('checkPoolOptions', () => {
  it('accepts the defaults, and 0 where 0 means off or never', () => {
    expect(() => checkPoolOptions({})).not.toThrow();
    expect(() =>
      checkPoolOptions({ validateAfterIdleMs: 0, leakDetectionThresholdMs: 0, closeTimeoutMs: 0 }),
    ).not.toThrow();
  });

  it.each([
    'acquireTimeoutMs',
    'validateAfterIdleMs',
    'validationTimeoutMs',
    'leakDetectionThresholdMs',
    'closeTimeoutMs',
  ] as const)('refuses %s above 2^31 - 1 ms, infinite or negative', (name) => {
    for (const value of [2 ** 31, Number.POSITIVE_INFINITY, -1]) {
      expect(refusal(() => checkPoolOptions({ [name]: value })).issues[0]?.field).toBe(name);
    }
  });

  it.each(['acquireTimeoutMs', 'validationTimeoutMs'] as const)('refuses %s of 0', (name) => {
    expect(refusal(() => checkPoolOptions({ [name]: 0 })).issues[0]?.field).toBe(name);
  });
});

describe('checkDriverDurations', () => {
  it('accepts the documented zeros (no lifetime limit, no statement timeout)', () => {
    expect(() => checkDriverDurations({ maxLifetimeMs: 0, statementTimeoutMs: 0 })).not.toThrow();
  });

  it.each([
    'idleTimeoutMs',
    'maxLifetimeMs',
    'connectTimeoutMs',
    'statementTimeoutMs',
    'acquireTimeoutMs',
  ] as const)('refuses %s above 2^31 - 1 ms, infinite or negative', (name) => {
    for (const value of [2 ** 31, Number.POSITIVE_INFINITY, -1]) {
      expect(refusal(() => checkDriverDurations({ [name]: value })).issues[0]?.field).toBe(name);
    }
  });

  it.each(['idleTimeoutMs', 'connectTimeoutMs', 'acquireTimeoutMs'] as const)('refuses %s of 0', (name) => {
    expect(refusal(() => checkDriverDurations({ [name]: 0 })).issues[0]?.field).toBe(name);
  });
});
