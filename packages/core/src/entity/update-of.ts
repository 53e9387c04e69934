import type { Entity, PatchOf } from './define-entity.js';
import type { Field, FieldKind } from './field.js';

/**
 * An atomic change of a numeric field, computed by the database from the stored value. Exactly one key:
 * `increment`/`decrement` add or subtract, `multiply` scales, `set` writes a value (the explicit form of a
 * plain value). On integer fields every operand is a safe integer. The result must stay within the
 * field's declared `min`/`max` (and the safe-integer range for integers), or the write fails with
 * `OutOfBoundsError` and changes nothing.
 */
export type NumericOperator =
  | {
      /** Adds this to the stored value (negative subtracts). */
      readonly increment: number;
    }
  | {
      /** Subtracts this from the stored value. */
      readonly decrement: number;
    }
  | {
      /** Multiplies the stored value by this (on integer fields, an integer; see `RoundedMultiply`). */
      readonly multiply: number;
    }
  | {
      /** Writes this value, checked against the field's range like the others. */
      readonly set: number;
    };

/**
 * `multiply` with the product rounded to an integer, halves away from zero, computed exactly on every
 * backend (the operand is the decimal it prints as, at most 7 places). Integer fields only.
 */
export interface RoundedMultiply {
  /** The factor, any finite number with at most 7 decimal places; the exact product is rounded. */
  readonly multiply: number;
  /** How the product is rounded: halves away from zero (`2.5` → 3, `-2.5` → -3). */
  readonly round: 'half-away-from-zero';
}

type Numeric<X> =
  X extends Field<number, boolean, infer K> ? (K extends 'integer' | 'number' ? true : false) : false;

type IsInteger<X> = X extends Field<number, boolean, infer K> ? (K extends 'integer' ? true : false) : false;

/**
 * What `update` and `updateMany` take: any subset of the caller-owned fields, where a non-nullable
 * integer or number field also accepts a `NumericOperator`, and an integer field a `RoundedMultiply`.
 */
export type UpdateOf<E extends Entity> = {
  [K in keyof PatchOf<E>]?: K extends keyof E['__fields']
    ? Numeric<E['__fields'][K]> extends true
      ? IsInteger<E['__fields'][K]> extends true
        ? PatchOf<E>[K] | NumericOperator | RoundedMultiply
        : PatchOf<E>[K] | NumericOperator
      : PatchOf<E>[K]
    : never;
};

/** The kinds an operator may change. */
export const NUMERIC_KINDS: ReadonlySet<FieldKind> = new Set(['integer', 'number']);
