import type { BackendName } from '../driver/capabilities.js';
import type { IsolationLevel } from './transaction-options.js';

/** What a transaction wrapper is told about the transaction it wraps. */
export interface TransactionInfo {
  /** The backend the transaction runs on. */
  readonly backend: BackendName;
  /** A nested transaction (a savepoint, or work joining the outer transaction). */
  readonly nested: boolean;
  /** Which attempt of a `retry` transaction this is, from 1 (always 1 when nested). */
  readonly attempt: number;
  /**
   * The isolation level asked for; absent: the backend's default (`read committed` on PostgreSQL, `repeatable read`
   * on MySQL/MariaDB).
   */
  readonly isolation?: IsolationLevel;
  /** True when the transaction was opened read-only; absent: read-write. */
  readonly readOnly?: boolean;
}

/**
 * Runs around every transaction attempt, from before BEGIN (or SAVEPOINT) until after COMMIT or ROLLBACK:
 * it must call `run` once and return (or rethrow) what it gives. The callback and every statement of the
 * transaction run inside `run`'s async context, which is what lets a tracer make the transaction the
 * parent of its statements (`@berth/core/otel`).
 */
export type TransactionWrapper = <T>(info: TransactionInfo, run: () => Promise<T>) => Promise<T>;

/** What a flush wrapper is told about the unit-of-work flush it wraps. */
export interface FlushInfo {
  /** The backend the flush runs on. */
  readonly backend: BackendName;
  /**
   * Rows the flush inserts, updates and deletes, as scheduled when it starts (children a `cascade: ['remove']`
   * relation removes with their parent are read inside the flush and not counted).
   */
  readonly inserts: number;
  /** Rows the flush updates (changed fields only), as scheduled when it starts. */
  readonly updates: number;
  /** Rows the flush deletes, as scheduled when it starts (cascaded children not counted). */
  readonly deletes: number;
}

/**
 * Runs around every unit-of-work flush that has something to write, from before its transaction begins
 * until after it ends: it must call `run` once and return (or rethrow) what it gives. The flush's
 * transaction and statements run inside `run`'s async context (`@berth/core/otel` makes a span of it).
 */
export type FlushWrapper = <T>(info: FlushInfo, run: () => Promise<T>) => Promise<T>;

/**
 * The transaction and flush wrappers of one database, shared by the transactions and units of work it
 * starts; the first added is the outermost.
 */
export class TransactionWrappers {
  #list: readonly TransactionWrapper[] = [];
  #flushes: readonly FlushWrapper[] = [];

  constructor(readonly backend: BackendName) {}

  /** Adds a wrapper; the returned function removes it (transactions already running keep it). */
  add(wrapper: TransactionWrapper): () => void {
    this.#list = [...this.#list, wrapper];
    return () => {
      this.#list = this.#list.filter((w) => w !== wrapper);
    };
  }

  /** Adds a flush wrapper; the returned function removes it (flushes already running keep it). */
  addFlush(wrapper: FlushWrapper): () => void {
    this.#flushes = [...this.#flushes, wrapper];
    return () => {
      this.#flushes = this.#flushes.filter((w) => w !== wrapper);
    };
  }

  /** `run`, inside every flush wrapper; without any, just `run()`. */
  flush<T>(info: Omit<FlushInfo, 'backend'>, run: () => Promise<T>): Promise<T> {
    const list = this.#flushes;
    if (list.length === 0) return run();
    const full: FlushInfo = { backend: this.backend, ...info };
    let next = run;
    for (let i = list.length - 1; i >= 0; i--) {
      const wrapper = list[i]!;
      const inner = next;
      next = () => wrapper(full, inner);
    }
    return next();
  }

  /** `run`, inside every wrapper; without any, just `run()`. */
  run<T>(info: Omit<TransactionInfo, 'backend'>, run: () => Promise<T>): Promise<T> {
    const list = this.#list;
    if (list.length === 0) return run();
    const full: TransactionInfo = { backend: this.backend, ...info };
    let next = run;
    for (let i = list.length - 1; i >= 0; i--) {
      const wrapper = list[i]!;
      const inner = next;
      next = () => wrapper(full, inner);
    }
    return next();
  }
}
