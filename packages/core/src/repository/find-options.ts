import type { Entity } from '../entity/define-entity.js';
import type { OrderKey, Where } from '../query/where.js';

/** The most rows one `find` page may ask for. */
export const MAX_PAGE_SIZE = 10_000;

export interface FindOptions<E extends Entity> {
  where?: Where<E>;
  /** Sort keys; `id` is always appended as the tiebreaker. Default: by `id`, which is creation order. */
  orderBy?: OrderKey<E> | readonly OrderKey<E>[];
  /** Page size (1..10 000). Without it every match is returned and `nextCursor` is null. */
  limit?: number;
  /** A `nextCursor` from the previous page of the same query and sort. */
  cursor?: string | null;
}

export interface WriteOptions {
  /**
   * The version the caller last saw. When the stored version differs, the write fails with
   * `OptimisticLockError` and changes nothing. Without it the write applies to the current version.
   */
  expectedVersion?: number;
}
