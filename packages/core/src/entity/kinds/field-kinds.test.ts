import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/validation-error.js';
import { field } from '../field.js';
import { validateValue } from '../validate-value.js';
import { canonicalDecimal } from './decimal-kind.js';
import { dateOnlyFromDriverDate } from './date-only-kind.js';

const ok = (f: { meta: never }, value: unknown) => validateValue('f', f.meta, value) === undefined;

describe('field kinds', () => {
  it('enum: checks its values at definition, and each value against them', () => {
    expect(() => field.enum([] as never)).toThrow(ValidationError);
    expect(() => field.enum(['a', 'a'])).toThrow(ValidationError);
    expect(() => field.enum(['a', ''])).toThrow(ValidationError);
    const f = field.enum(['a', 'b']) as never;
    expect(ok(f, 'a')).toBe(true);
    expect(ok(f, 'A')).toBe(false);
    expect(ok(f, 1)).toBe(false);
  });

  it('decimal: strings of the declared shape only; canonical form has exactly the scale', () => {
    expect(() => field.decimal({ precision: 35, scale: 2 })).toThrow(ValidationError);
    expect(() => field.decimal({ precision: 4, scale: 5 })).toThrow(ValidationError);
    const f = field.decimal({ precision: 5, scale: 2 }) as never;
    for (const good of ['0', '-0', '999.99', '-999.9', '00012.5'])
      expect([good, ok(f, good)]).toEqual([good, true]);
    for (const bad of [1.5, '1000', '1.234', '1e2', '.5', '5.', '+1', ' 1', ''])
      expect([bad, ok(f, bad)]).toEqual([bad, false]);
    expect(canonicalDecimal(2, '00012.5')).toBe('12.50');
    expect(canonicalDecimal(2, '-0.00')).toBe('0.00');
    expect(canonicalDecimal(0, '-007')).toBe('-7');
  });

  it('bigint: a bigint within the signed 64-bit range', () => {
    const f = field.bigint() as never;
    expect(ok(f, 2n ** 63n - 1n)).toBe(true);
    expect(ok(f, 2n ** 63n)).toBe(false);
    expect(ok(f, 1)).toBe(false);
  });

  it('date: a real YYYY-MM-DD day between the years 1000 and 9999', () => {
    const f = field.date() as never;
    expect(ok(f, '2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '0999-12-31', '2024-13-01', '2024-1-1', new Date()])
      expect(ok(f, bad)).toBe(false);
    expect(dateOnlyFromDriverDate(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(dateOnlyFromDriverDate(new Date(2024, 1, 29))).toBe('2024-02-29');
  });

  it('bytes: a Uint8Array (Buffer too) of at most max bytes', () => {
    expect(() => field.bytes({ max: 0 })).toThrow(ValidationError);
    const f = field.bytes({ max: 2 }) as never;
    expect(ok(f, new Uint8Array(2))).toBe(true);
    expect(ok(f, Buffer.from('ab'))).toBe(true);
    expect(ok(f, new Uint8Array(3))).toBe(false);
    expect(ok(f, [1])).toBe(false);
  });
});
