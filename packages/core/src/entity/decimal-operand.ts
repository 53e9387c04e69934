/**
 * The most decimal places a rounding `multiply` operand may have. MongoDB has no exact decimal arithmetic
 * berth can rely on in an update (Decimal128 is not available everywhere the adapter runs), so the
 * product is computed exactly in doubles from limbs: the stored value split at 10^scale, each partial
 * product below 2^53. With at most 7 places every partial product (< 10^14) is exact. The same limit
 * holds on every backend, so an operand one backend accepts, all accept.
 */
export const MAX_ROUNDING_SCALE = 7;

/**
 * A finite number as the exact decimal its shortest JavaScript representation spells (`String(1.05)` is
 * `1.05`, so the operand means 105/100, not the binary double nearest to it). `units` and `fraction` are
 * the magnitude's integer part and fractional digits, `text` a plain decimal literal (no exponent) that a
 * SQL `CAST(? AS numeric)` reads exactly.
 */
export interface DecimalOperand {
  /** True for a value below zero (never for zero itself, `-0` included). */
  readonly negative: boolean;
  /** The integer part of the magnitude. */
  readonly units: number;
  /** The fractional digits of the magnitude as an integer, below `10 ** scale`. */
  readonly fraction: number;
  /** How many decimal places (0 when the operand is an integer). */
  readonly scale: number;
  /** A plain decimal literal: `-1.05`, `0.0000001`, `3`. */
  readonly text: string;
}

/** Splits a finite number into its decimal parts; `undefined` when it has more than `MAX_ROUNDING_SCALE` places. */
export function decimalOperand(value: number): DecimalOperand | undefined {
  if (!Number.isFinite(value)) return undefined;
  const negative = value < 0;
  const printed = String(Math.abs(value));
  const [mantissa = '0', exponentText] = printed.split('e');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const [whole = '0', part = ''] = mantissa.split('.');
  // digits * 10^(exponent - part.length) is the magnitude, exactly.
  const digits = `${whole}${part}`.replace(/^0+(?=\d)/, '');
  const shift = exponent - part.length;
  let intText: string;
  let fracText: string;
  if (shift >= 0) {
    intText = digits + '0'.repeat(shift);
    fracText = '';
  } else {
    const places = -shift;
    const padded = digits.padStart(places + 1, '0');
    intText = padded.slice(0, padded.length - places);
    fracText = padded.slice(padded.length - places).replace(/0+$/, '');
  }
  if (fracText.length > MAX_ROUNDING_SCALE) return undefined;
  const units = Number(intText);
  const fraction = fracText === '' ? 0 : Number(fracText);
  const magnitude =
    fracText === '' ? intText.replace(/^0+(?=\d)/, '') : `${intText.replace(/^0+(?=\d)/, '')}.${fracText}`;
  return {
    negative: negative && (units !== 0 || fraction !== 0),
    units,
    fraction,
    scale: fracText.length,
    text: `${negative && (units !== 0 || fraction !== 0) ? '-' : ''}${magnitude}`,
  };
}

/**
 * `round(stored * operand)` computed exactly (BigInt), halves rounded away from zero: what every backend's
 * rounding `multiply` writes, used by the core to diagnose a write that matched nothing and by backends
 * that compute the new value before a conditional write.
 */
export function multiplyRounded(stored: number, operand: DecimalOperand): number {
  const scale = 10n ** BigInt(operand.scale);
  const factor = BigInt(operand.units) * scale + BigInt(operand.fraction);
  const product = BigInt(Math.abs(stored)) * factor;
  let quotient = product / scale;
  if ((product % scale) * 2n >= scale) quotient += 1n;
  const negative = stored < 0 !== operand.negative;
  const magnitude = Number(quotient);
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}
