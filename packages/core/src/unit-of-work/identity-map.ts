import type { StoredRow } from '../driver/commands.js';
import type { Entity } from '../entity/define-entity.js';

/** A row a unit of work knows about, with the state it was in when last read or flushed. */
export interface TrackedRow {
  readonly entity: Entity;
  /** The object handed to the caller; changes made to it in place are found at flush. */
  readonly row: StoredRow;
  /** A private copy as stored; undefined for rows not yet inserted. */
  snapshot: StoredRow | undefined;
  state: 'new' | 'managed' | 'removed';
  /**
   * For a new row: a private copy of it as `persist` built and validated it. A flush validates the row again
   * only when the caller has changed it since (it is the caller's object, and may be).
   */
  validated?: StoredRow;
  /**
   * True while a flush inserts this new row: removing it then must delete it after the insert, not forget
   * it. A flag on the row, not a set of rows: a bulk flush marks thousands, and a set costs a hash entry each.
   */
  inserting?: boolean;
}

/**
 * One entity's rows: those indexed by id, then those added with a fresh id and not yet indexed (`addFresh`),
 * every one of them added after every indexed row, so the two in sequence are the order rows were tracked.
 */
interface Bucket {
  readonly byId: Map<string | number, TrackedRow>;
  fresh: TrackedRow[];
}

/**
 * One object per stored row within a unit of work: reading the same row twice gives the same object,
 * so changes made through one reference are never lost behind another.
 */
export class IdentityMap {
  readonly #rows = new Map<string, Bucket>();

  /** The rows added fresh are indexed now: by the id of their private copy, what they were added with. */
  #indexed(bucket: Bucket): Map<string | number, TrackedRow> {
    const { fresh, byId } = bucket;
    if (fresh.length > 0) {
      for (const tracked of fresh)
        byId.set((tracked.validated ?? tracked.row).id as string | number, tracked);
      bucket.fresh = [];
    }
    return byId;
  }

  #bucket(entity: Entity): Bucket {
    let bucket = this.#rows.get(entity.name);
    if (!bucket) {
      bucket = { byId: new Map(), fresh: [] };
      this.#rows.set(entity.name, bucket);
    }
    return bucket;
  }

  get(entity: Entity, id: string | number): TrackedRow | undefined {
    const bucket = this.#rows.get(entity.name);
    return bucket ? this.#indexed(bucket).get(id) : undefined;
  }

  add(tracked: TrackedRow): void {
    this.#indexed(this.#bucket(tracked.entity)).set(tracked.row.id as string | number, tracked);
  }

  /**
   * Adds a new row whose id no tracked row can hold (a UUIDv7 just made in this process), without hashing
   * it yet: a bulk unit of work persists thousands of rows, flushes and is dropped, and never looks one up.
   * The row is indexed by the first call that needs the index (`get`, `add`, `delete`), under the id it was
   * added with: its private copy's (`validated`), which the caller cannot change.
   */
  addFresh(tracked: TrackedRow): void {
    this.#bucket(tracked.entity).fresh.push(tracked);
  }

  delete(entity: Entity, id: string | number): void {
    const bucket = this.#rows.get(entity.name);
    if (bucket) this.#indexed(bucket).delete(id);
  }

  /** Every tracked row, in the order rows were first tracked. Not to be changed while iterated: spread it first. */
  *values(): IterableIterator<TrackedRow> {
    for (const bucket of this.#rows.values()) {
      yield* bucket.byId.values();
      yield* bucket.fresh;
    }
  }

  get size(): number {
    let size = 0;
    for (const bucket of this.#rows.values()) size += bucket.byId.size + bucket.fresh.length;
    return size;
  }

  clear(): void {
    this.#rows.clear();
  }
}
