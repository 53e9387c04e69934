import type { EntityMeta } from '../entity/define-entity.js';
import type { Condition } from '../query/condition.js';
import type { StoredRow } from './commands.js';

/**
 * A numeric change the database computes from the stored value: `field = field + by` or
 * `field = field * by`. The result must stay within `[min, max]` (either may be absent); the bound is
 * checked by the database in the same statement as the write, never against a value read earlier.
 */
export interface NumericOperation {
  /** The numeric field changed (integer, number or version kind). */
  readonly field: string;
  /** `'increment'` adds `by` (a `decrement` arrives as a negative `by`); `'multiply'` multiplies by it. */
  readonly op: 'increment' | 'multiply';
  /** A finite number; a safe integer for integer fields. */
  readonly by: number;
  /** The lowest value allowed after the change (the field's declared `min`); absent: no lower bound. */
  readonly min?: number;
  /** The highest value allowed after the change (the field's declared `max`); absent: no upper bound. */
  readonly max?: number;
  /**
   * Only with `multiply` on integer fields: the product is computed exactly, the operand taken as the
   * decimal it prints as (`decimalOperand`, at most `MAX_ROUNDING_SCALE` places), and rounded to an
   * integer with halves away from zero (`round(2.5) = 3`, `round(-2.5) = -3`), on every backend alike
   * (`multiplyRounded` is the reference). `by` may then be any such finite number.
   */
  readonly round?: RoundingMode;
}

/** How a rounding `multiply` rounds: halves away from zero (SQL's `round` on exact numbers). */
export type RoundingMode = 'half-away-from-zero';

/**
 * Change the rows matching `where`: write `set`, apply `operations`, and with every row written also
 * `stamp` (for example `updatedAt`) and `bump` (the version field, plus one). Only rows on which every
 * operation stays within its bounds are written.
 */
export interface ModifyCommand {
  /** The entity written to. */
  readonly entity: EntityMeta;
  /** Which rows to change. */
  readonly where: Condition;
  /** Caller values, written as given. */
  readonly set: StoredRow;
  /** The atomic changes, at most one per field, never on a field also in `set`. */
  readonly operations: readonly NumericOperation[];
  /** Written with every row written, never counted as a change (`updatedAt`). */
  readonly stamp: StoredRow;
  /** A field incremented by one on every row written (the version). */
  readonly bump?: string;
  /**
   * Write only a row on which `set` or `operations` change some value (compared as the database compares:
   * `IS DISTINCT FROM`, MongoDB's `$ne`), so a patch that changes nothing writes nothing.
   */
  readonly changedOnly?: boolean;
}

/** What `modifyMany` did. When `outOfBounds` is above zero, `modified` is zero: nothing was written. */
export interface ModifyManyResult {
  /** Rows matched by `where` and written. */
  readonly modified: number;
  /** Rows matched by `where` on which some operation would leave its bounds. */
  readonly outOfBounds: number;
}

/** One row of an upsert: the complete row to insert, and what to write instead if its key exists. */
export interface UpsertItem {
  /** A complete, validated row with a fresh id, version 1 and timestamps (as `insert` takes). */
  readonly insert: StoredRow;
  /** Caller fields written to the existing row (never a key field). */
  readonly set: StoredRow;
}

/**
 * Insert each row, or, where a row with the same values of `key` (the fields of one unique index) exists,
 * change that row instead: write `set`, `stamp` and bump `bump`. Atomic per call. Keys within one command
 * are distinct (the core checks). A duplicate on another unique index raises `UniqueViolationError`.
 */
export interface UpsertCommand {
  /** The entity written to. */
  readonly entity: EntityMeta;
  /** The fields of the unique index that decides insert or update (`id`, or a declared unique index's fields). */
  readonly key: readonly string[];
  /** The rows, with distinct keys (the core checks), in the caller's order. */
  readonly items: readonly UpsertItem[];
  /** Written to each existing row changed, never counted as a change (the `updatedAt` of the inserted rows). */
  readonly stamp: StoredRow;
  /** The version field, incremented by one on every existing row changed; absent: the entity has none. */
  readonly bump?: string;
}

/** One row's outcome, in the order of `UpsertCommand.items`. */
export interface UpsertOutcome {
  /** The row as stored after the write. */
  readonly row: StoredRow;
  /** True when the row was inserted, false when an existing row was changed. */
  readonly created: boolean;
}
