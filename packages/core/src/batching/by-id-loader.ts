import type { Entity, IdOf, RowOf } from '../entity/define-entity.js';
import { ValidationError } from '../errors/validation-error.js';
import { RELATION_CHUNK_SIZE } from '../relation/loader/fetch-in.js';

/** Reads the rows of the given ids (distinct, at most `RELATION_CHUNK_SIZE`) in one statement, in any order. */
export type ReadByIds<E extends Entity> = (ids: readonly RowKey[]) => Promise<readonly RowOf<E>[]>;

/** An id as the loader keys it: a string, or a number for database-generated ids. */
type RowKey = string | number;

interface Waiter<E extends Entity> {
  resolve(row: RowOf<E> | null): void;
  reject(error: unknown): void;
}

/**
 * Runs `fn` once the work already queued has run: after the current tick's promise jobs and, through a
 * macrotask, after callers that awaited one more step (a GraphQL resolver fan-out). `setImmediate` where
 * the runtime has it (Node), else a zero timeout.
 */
function afterThisTick(fn: () => void): void {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (immediate) immediate(fn);
  else setTimeout(fn, 0);
}

/**
 * Request-scoped batching of `findById` (a DataLoader for one entity): every `load(id)` issued in the same
 * tick is answered by ONE `id IN (...)` read (one per `RELATION_CHUNK_SIZE` distinct ids), each caller
 * getting its own row or null. The same id asked twice in a batch is read once. Nothing is cached across
 * batches: a later `load` reads again, so a loader never serves a row older than its batch. Make one per
 * request (`db.loader(Entity)`, `uow.loader(Entity)`); the batch runs in the async context of its first
 * caller (its transaction, if any).
 */
export class ByIdLoader<E extends Entity> {
  #pending: Map<RowKey, Waiter<E>[]> | undefined;
  readonly #read: ReadByIds<E>;
  readonly #check: (id: unknown) => RowKey;

  /** `check` validates one id (a `ValidationError` rejects that caller only). */
  constructor(
    /** The entity whose rows this loader reads. */
    readonly entity: E,
    read: ReadByIds<E>,
    check: (id: unknown) => RowKey,
  ) {
    this.#read = read;
    this.#check = check;
  }

  /** The row with this id, or null; batched with every other `load` of this tick. */
  load(id: IdOf<E>): Promise<RowOf<E> | null> {
    let key: RowKey;
    try {
      key = this.#check(id);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      if (!this.#pending) {
        this.#pending = new Map();
        afterThisTick(() => void this.#dispatch());
      }
      const waiters = this.#pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.#pending.set(key, [{ resolve, reject }]);
    });
  }

  /** `load` for each id, in order. */
  loadMany(ids: readonly IdOf<E>[]): Promise<(RowOf<E> | null)[]> {
    if (!Array.isArray(ids))
      return Promise.reject(
        new ValidationError('loadMany takes an array of ids', [{ field: 'ids', message: 'not an array' }]),
      );
    return Promise.all(ids.map((id) => this.load(id)));
  }

  async #dispatch(): Promise<void> {
    const pending = this.#pending!;
    this.#pending = undefined;
    const ids = [...pending.keys()];
    for (let i = 0; i < ids.length; i += RELATION_CHUNK_SIZE) {
      const chunk = ids.slice(i, i + RELATION_CHUNK_SIZE);
      try {
        const rows = await this.#read(chunk);
        const byId = new Map(rows.map((row) => [(row as { id: RowKey }).id, row] as const));
        for (const id of chunk) for (const waiter of pending.get(id)!) waiter.resolve(byId.get(id) ?? null);
      } catch (error) {
        for (const id of chunk) for (const waiter of pending.get(id)!) waiter.reject(error);
      }
    }
  }
}
