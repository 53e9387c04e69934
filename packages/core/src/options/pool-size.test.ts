import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { checkPoolSize } from './pool-size.js';

describe('checkPoolSize', () => {
  it('passes absent and sensible sizes', () => {
    expect(() => checkPoolSize({})).not.toThrow();
    expect(() => checkPoolSize({ max: 1, min: 0 })).not.toThrow();
    expect(() => checkPoolSize({ max: 10, min: 10 })).not.toThrow();
  });

  it.each([
    [{ max: 0 }, 'max must be a whole number of at least 1 (got 0)'],
    [{ max: -1 }, 'max must be a whole number of at least 1 (got -1)'],
    [{ max: 2.5 }, 'max must be a whole number of at least 1 (got 2.5)'],
    [{ max: Number.NaN }, 'max must be a whole number of at least 1 (got NaN)'],
    [{ max: '4' as unknown as number }, 'max must be a whole number of at least 1 (got 4)'],
    [{ min: -1 }, 'min must be a whole number of at least 0 (got -1)'],
    [{ max: 2, min: 3 }, 'min must not exceed max (got min 3, max 2)'],
  ])('refuses %o with a ValidationError naming the option', (options, message) => {
    let error: unknown;
    try {
      checkPoolSize(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(message);
    expect((error as ValidationError).issues[0]?.field).toBe(
      Object.keys(options).at(-1) === 'min' ? 'min' : 'max',
    );
  });
});
