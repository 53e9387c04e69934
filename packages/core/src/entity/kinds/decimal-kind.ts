import { ValidationError } from '../../errors/validation-error.js';

/**
 * The most significant digits a decimal field may declare: MongoDB's Decimal128 holds 34, MySQL's DECIMAL
 * 65 and PostgreSQL's numeric more, so 34 is what every backend stores exactly.
 */
export const MAX_DECIMAL_PRECISION = 34;
/** The most decimal places (MySQL's DECIMAL allows 30). */
export const MAX_DECIMAL_SCALE = 30;

const DECIMAL_TEXT = /^-?(\d+)(?:\.(\d+))?$/;

/** Checks `precision` (1..34) and `scale` (0..min(precision, 30)) when the field is built. */
export function checkDecimalShape(precision: number, scale: number): void {
  if (!Number.isInteger(precision) || precision < 1 || precision > MAX_DECIMAL_PRECISION)
    throw new ValidationError(`a decimal's precision is an integer of 1..${MAX_DECIMAL_PRECISION}`);
  if (!Number.isInteger(scale) || scale < 0 || scale > Math.min(precision, MAX_DECIMAL_SCALE))
    throw new ValidationError(`a decimal's scale is an integer of 0..min(precision, ${MAX_DECIMAL_SCALE})`);
}

/**
 * The problem with a decimal value, or undefined. A decimal is a string (never a number: a double cannot
 * hold 0.1 exactly) of an optional `-`, digits, and optionally `.` and digits, with at most
 * `precision - scale` integer digits (leading zeros aside) and at most `scale` decimal places.
 */
export function decimalProblem(precision: number, scale: number, value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a decimal string such as "12.50"';
  const match = DECIMAL_TEXT.exec(value);
  if (!match) return 'must be a decimal string such as "12.50"';
  const integer = match[1]!.replace(/^0+/, '');
  const fraction = match[2] ?? '';
  if (fraction.length > scale) return `must have at most ${scale} decimal places`;
  if (integer.length > precision - scale)
    return `must have at most ${precision - scale} digits before the decimal point`;
  return undefined;
}

/**
 * The canonical text of a valid decimal: exactly `scale` places, no leading zeros, no `-0`. Every backend
 * reads a decimal back in this form (PostgreSQL's numeric and MySQL's DECIMAL pad to the scale), so berth
 * writes it in this form too and a row reads back as it was written.
 */
export function canonicalDecimal(scale: number, value: string): string {
  const match = DECIMAL_TEXT.exec(value)!;
  const integer = match[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').padEnd(scale, '0');
  const zero = /^0*$/.test(integer + fraction);
  const sign = value.startsWith('-') && !zero ? '-' : '';
  return scale === 0 ? `${sign}${integer}` : `${sign}${integer}.${fraction}`;
}
