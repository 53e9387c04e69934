import type { EntityMeta } from '../entity/define-entity.js';
import type { Condition, Scalar } from '../query/condition.js';
import type { RowLock } from '../query/row-lock.js';
import type { SortKey } from '../query/sort-key.js';

/**
 * A row as adapters exchange it with the core: field name to JavaScript value. Values are `string`,
 * `number` (safe integers for integer fields), `boolean`, `Date`, any JSON value for JSON fields, or `null`.
 * Adapters convert to and from their storage types (for example MySQL's TINYINT to boolean).
 */
export type StoredRow = Record<string, unknown>;

/** Read rows. `orderBy` always ends with the `id` key, so the order is total. */
export interface FindCommand {
  /** The entity read: its table or collection and fields. */
  readonly entity: EntityMeta;
  /** Which rows to read, already normalized and checked (`MATCH_ALL` for every row). */
  readonly where: Condition;
  /** The order of the rows, ending with `id` so it is total. */
  readonly orderBy: readonly SortKey[];
  /** Most rows to return; absent means all. */
  readonly limit?: number;
  /** Lock the rows read for the rest of the transaction (`FOR UPDATE`) where the backend can. */
  readonly forUpdate?: boolean;
  /**
   * The fields to read, declared names in the entity's order; absent means every field. Returned rows
   * hold exactly these fields.
   */
  readonly select?: readonly string[];
  /**
   * Row locks for the rest of the transaction (the core sends it only inside one, and only where
   * `capabilities.lockingReads`). When set, `forUpdate` mirrors `lock.mode === 'forUpdate'` for adapters
   * that only know that flag.
   */
  readonly lock?: RowLock;
  /**
   * At most `limit` rows per distinct value of `field`, the first in `orderBy` order: an include's
   * per-parent `limit` (the first 3 lines of each order) read in the one statement, by a window function
   * on SQL and a `$group` / `$slice` pipeline on MongoDB. `orderBy` must end with a unique key. An
   * adapter that ignores it returns more rows, never wrong ones: the core still cuts each group.
   */
  readonly perGroup?: {
    /** The field whose distinct values form the groups (the foreign key pointing at the parent). */
    readonly field: string;
    /** The most rows kept per group, 1..10 000. */
    readonly limit: number;
  };
  /**
   * A many-to-many include with a per-parent `limit`: read the rows of `entity` linked to `keys` through
   * the join entity (see `ThroughRead`), at most `limit` per parent key in `orderBy` order. Each row
   * returned carries the parent key it was read for under `THROUGH_KEY` (a row linked to two parents is
   * returned twice). Never sent with `perGroup`, `limit`, `select` or a lock. An adapter must implement
   * it: the core refuses rows without `THROUGH_KEY`.
   */
  readonly through?: ThroughRead;
}

/** The field name under which a `FindCommand.through` read returns each row's parent key. */
export const THROUGH_KEY = 'berth_parent';

/** The join of a `FindCommand.through` read: which join rows link which parent to which target row. */
export interface ThroughRead {
  /** The join entity. */
  readonly entity: EntityMeta;
  /** The join entity's field holding the parent key (matched against `keys`). */
  readonly fromKey: string;
  /** The join entity's field holding the target row's `id`. */
  readonly toKey: string;
  /** The parents' keys; never empty. */
  readonly keys: readonly Scalar[];
  /** Most target rows per parent key, the first in the command's `orderBy` order. */
  readonly limit: number;
}

/** What `DriverConnection.count` receives: the rows of `entity` matching `where`. */
export interface CountCommand {
  /** The entity whose rows are counted. */
  readonly entity: EntityMeta;
  /** Which rows to count (`MATCH_ALL` for every row). */
  readonly where: Condition;
}

/**
 * Insert complete rows (every field present, defaults applied, validated). Adapters write them in as few
 * statements as their parameter limits allow. A duplicate on a unique index raises `UniqueViolationError`.
 *
 * When the entity's ids are database-generated (`hasGeneratedIds(entity)`, `capabilities.generatedIds`),
 * the rows carry no `id`: the adapter leaves the column to the database and, once the insert succeeded,
 * sets each row object's `id` to the value generated for it (`INSERT ... RETURNING`, the insert id), in
 * the order of `rows`. That is the one place an adapter writes into a command.
 */
export interface InsertCommand {
  /** The entity written to. */
  readonly entity: EntityMeta;
  /** The complete rows, in the order the caller gave them. */
  readonly rows: readonly StoredRow[];
}

/** Set fields on every row matching `where`; resolves to the number of rows matched. */
export interface UpdateCommand {
  /** The entity written to. */
  readonly entity: EntityMeta;
  /** Which rows to change. */
  readonly where: Condition;
  /** The stored values to write on every matching row, by field name (validated, managed fields included). */
  readonly set: StoredRow;
}

/** Delete every row matching `where`; resolves to the number of rows deleted. */
export interface DeleteCommand {
  /** The entity deleted from. */
  readonly entity: EntityMeta;
  /** Which rows to delete (`MATCH_ALL` deletes every row: the core asks for that only on purpose). */
  readonly where: Condition;
}

export type {
  AggregateCommand,
  AggregateFunction,
  AggregateResultRow,
  AggregateSortKey,
  AggregateSpec,
  HavingCondition,
} from '../query/aggregate/aggregate-command.js';
