import { describe, expect, it } from 'vitest';
import { decimalOperand, multiplyRounded } from './decimal-operand.js';

describe('decimalOperand', () => {
  it('reads a number as the decimal it prints as, exponents included', () => {
    expect(decimalOperand(1.05)).toEqual({ negative: false, units: 1, fraction: 5, scale: 2, text: '1.05' });
    expect(decimalOperand(-2.5)).toEqual({ negative: true, units: 2, fraction: 5, scale: 1, text: '-2.5' });
    expect(decimalOperand(1e-7)).toEqual({
      negative: false,
      units: 0,
      fraction: 1,
      scale: 7,
      text: '0.0000001',
    });
    expect(decimalOperand(3)).toEqual({ negative: false, units: 3, fraction: 0, scale: 0, text: '3' });
    expect(decimalOperand(1e21)?.text).toBe('1000000000000000000000');
    expect(decimalOperand(-0)).toEqual({ negative: false, units: 0, fraction: 0, scale: 0, text: '0' });
  });

  it('refuses more than 7 decimal places and non-finite numbers', () => {
    expect(decimalOperand(1.00000001)).toBeUndefined();
    expect(decimalOperand(1e-8)).toBeUndefined();
    expect(decimalOperand(Number.NaN)).toBeUndefined();
    expect(decimalOperand(Number.POSITIVE_INFINITY)).toBeUndefined();
  });
});

describe('multiplyRounded', () => {
  it('rounds the exact product, halves away from zero', () => {
    const at = (stored: number, by: number) => multiplyRounded(stored, decimalOperand(by)!);
    expect(at(5, 1.5)).toBe(8);
    expect(at(-5, 1.5)).toBe(-8);
    expect(at(5, -1.5)).toBe(-8);
    expect(at(100, 1.005)).toBe(101); // Math.round(100 * 1.005) is 100
    expect(at(4_503_599_627_370_495, 1.5)).toBe(6_755_399_441_055_743);
    expect(Object.is(at(-3, 0), 0)).toBe(true);
    expect(Object.is(at(-1, 0.4), 0)).toBe(true);
  });
});
