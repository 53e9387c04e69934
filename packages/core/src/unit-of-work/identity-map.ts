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
 * One object per stored row within a unit of work: reading the same row twice gives the same object,
 * so changes made through one reference are never lost behind another.
 */
export class IdentityMap {
  readonly #rows = new Map<string, Map<string | number, TrackedRow>>();

  get(entity: Entity, id: string | number): TrackedRow | undefined {
    return this.#rows.get(entity.name)?.get(id);
  }

  add(tracked: TrackedRow): void {
    let byId = this.#rows.get(tracked.entity.name);
    if (!byId) {
      byId = new Map();
      this.#rows.set(tracked.entity.name, byId);
    }
    byId.set(tracked.row.id as string | number, tracked);
  }

  delete(entity: Entity, id: string | number): void {
    this.#rows.get(entity.name)?.delete(id);
  }

  /** Every tracked row, in the order rows were first tracked. */
  *values(): IterableIterator<TrackedRow> {
    for (const byId of this.#rows.values()) yield* byId.values();
  }

  get size(): number {
    let size = 0;
    for (const byId of this.#rows.values()) size += byId.size;
    return size;
  }

  clear(): void {
    this.#rows.clear();
  }
}
