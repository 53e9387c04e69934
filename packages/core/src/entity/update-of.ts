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
  | { readonly increment: number }
  | { readonly decrement: number }
  | { readonly multiply: number }
  | { readonly set: number };

type Numeric<X> =
  X extends Field<number, boolean, infer K> ? (K extends 'integer' | 'number' ? true : false) : false;

/**
 * What `update` and `updateMany` take: any subset of the caller-owned fields, where a non-nullable
 * integer or number field also accepts a `NumericOperator`.
 */
export type UpdateOf<E extends Entity> = {
  [K in keyof PatchOf<E>]?: K extends keyof E['__fields']
    ? Numeric<E['__fields'][K]> extends true
      ? PatchOf<E>[K] | NumericOperator
      : PatchOf<E>[K]
    : never;
};

/** The kinds an operator may change. */
export const NUMERIC_KINDS: ReadonlySet<FieldKind> = new Set(['integer', 'number']);
