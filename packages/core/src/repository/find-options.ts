import type { Entity } from '../entity/define-entity.js';
import type { LockOption } from '../query/row-lock.js';
import type { ExactSelect, Select } from '../query/select.js';
import type { OrderKey, Where } from '../query/where.js';
import type { ExactInclude, Include } from '../relation/include-types.js';

/** The most rows one `find` page may ask for. */
export const MAX_PAGE_SIZE = 10_000;

/**
 * The most rows a `find` without `limit` may return. More matching rows raise `TooManyRowsError`
 * (nothing is returned): an unbounded read must be a choice (`limit: 'all'`), not an accident.
 */
export const MAX_UNBOUNDED_ROWS = 10_000;

/** What `find` and `findOne` take: filter, order, page, projection and relations to load. */
export interface FindOptions<
  E extends Entity,
  S extends Select<E> | undefined = undefined,
  I extends Include<E> | undefined = undefined,
> {
  /** Which rows to read; default: every row. */
  where?: Where<E>;
  /** Sort keys; `id` is always appended as the tiebreaker. Default: by `id`, which is creation order. */
  orderBy?: OrderKey<E> | readonly OrderKey<E>[];
  /**
   * Page size (1..10 000). Without it every match is returned and `nextCursor` is null, up to
   * `MAX_UNBOUNDED_ROWS` (more raise `TooManyRowsError`); `'all'` reads every match, however many.
   */
  limit?: number | 'all';
  /** A `nextCursor` from the previous page of the same query and sort. */
  cursor?: string | null;
  /**
   * Read only these fields (`{ id: true, name: true }`); the result type holds only them. Sort keys a
   * page's cursor needs are read as well and left out of the rows. Not available in a unit of work.
   */
  select?: ExactSelect<E, S>;
  /**
   * Lock the rows read until the transaction ends: `'forUpdate'`, `'forShare'`, or
   * `{ mode, onLocked: 'wait' | 'noWait' | 'skipLocked' }`. Only inside a transaction
   * (`TransactionRequiredError` outside one); `UnsupportedError` where the backend has no locking reads.
   */
  lock?: LockOption;
  /**
   * Relations to load with the rows, to any depth (`{ lines: { include: { product: true }, limit: 3 } }`):
   * one statement per relation per level, whatever the number of rows. Not with `select`. See
   * docs/relations.md.
   */
  include?: ExactInclude<E, I>;
}

/** Options of the single-row reads (`findById`, `getById`, `findOne`). */
export interface ReadOptions<
  E extends Entity,
  S extends Select<E> | undefined = undefined,
  I extends Include<E> | undefined = undefined,
> {
  /** Read only these fields; see `FindOptions.select`. */
  select?: ExactSelect<E, S>;
  /** Lock the row read; see `FindOptions.lock`. */
  lock?: LockOption;
  /** Relations to load with the row; see `FindOptions.include`. */
  include?: ExactInclude<E, I>;
}

/** Options of `Repository.stream`. */
export interface StreamOptions<
  E extends Entity,
  S extends Select<E> | undefined = undefined,
  I extends Include<E> | undefined = undefined,
> {
  /** Which rows to read; default: every row. */
  where?: Where<E>;
  /** Sort keys; `id` is always appended as the tiebreaker. Default: by `id`. */
  orderBy?: OrderKey<E> | readonly OrderKey<E>[];
  /** Rows read per round trip (1..10 000, default 500). Each batch takes a connection and gives it back. */
  batchSize?: number;
  /** Read only these fields; see `FindOptions.select`. */
  select?: ExactSelect<E, S>;
  /**
   * Relations to load on each batch before its rows are yielded; see `FindOptions.include`. One statement
   * per relation per level per batch, on a connection taken for that batch and given back with it.
   */
  include?: ExactInclude<E, I>;
}

/** What a single-row write takes: the optimistic-lock version the caller saw. */
export interface WriteOptions {
  /**
   * The version the caller last saw. When the stored version differs, the write fails with
   * `OptimisticLockError` and changes nothing. Without it the write applies to the current version.
   */
  expectedVersion?: number;
}
