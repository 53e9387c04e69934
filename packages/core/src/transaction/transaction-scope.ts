import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Capabilities } from '../driver/capabilities.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import { TransactionEndedError } from '../errors/transaction-ended-error.js';
import { TransactionRollbackOnlyError } from '../errors/transaction-rollback-only-error.js';
import type { Lease } from '../pool/lease.js';
import type { Scope } from './scope.js';
import { WorkQueue } from './work-queue.js';

/** State shared by a transaction and the scopes nested in it: one pinned connection. */
export class PinnedConnection {
  /** The outer transaction's queue: everything on the connection goes through it, nested work included. */
  readonly queue = new WorkQueue();
  #savepoints = 0;
  /** Set once `COMMIT` or `ROLLBACK` is about to be sent: from then on, new work is refused. */
  ending = false;
  /** Set once the transaction has ended and the connection went back to the pool. */
  finished = false;
  /**
   * Set when a nested transaction failed and could not be undone alone (no savepoints, or `ROLLBACK TO
   * SAVEPOINT` failed): the whole transaction must roll back, and further work is refused.
   */
  rollbackOnly = false;
  /** The nested failure that made the transaction rollback-only. */
  rollbackCause: unknown;

  constructor(
    readonly lease: Lease,
    readonly capabilities: Capabilities,
    readonly storage: AsyncLocalStorage<Scope>,
  ) {}

  /**
   * Waits until every operation queued so far (and queued while waiting) has finished, then refuses new
   * work with `TransactionEndedError`. Called right before `COMMIT` or `ROLLBACK` is sent, so no statement
   * can slip in after it and run outside the transaction.
   */
  async end(): Promise<void> {
    await this.queue.settled();
    this.ending = true;
  }

  markRollbackOnly(cause: unknown): void {
    if (!this.rollbackOnly) this.rollbackCause = cause;
    this.rollbackOnly = true;
  }

  nextSavepoint(): string {
    return `berth_sp_${++this.#savepoints}`;
  }
}

/**
 * A scope inside a transaction: the outer transaction's, or a nested one's.
 *
 * Each scope has its own queue; concurrent calls on one scope (`Promise.all`) run one at a time, in call
 * order. A nested transaction is one job on its parent's queue that lasts from its `SAVEPOINT` to its
 * `RELEASE` or `ROLLBACK TO`: the nested callback has the connection to itself, and sibling work on the
 * parent waits until it ends, so undoing a failed savepoint never undoes a sibling's write.
 *
 * Work addressed to an ancestor's handle from inside a nested callback (the ambient scope is a nested
 * scope still open under this one) would wait for the nested transaction, which waits for that work: it
 * joins the innermost open nested transaction instead, as if made through its handle.
 */
export class TransactionScope implements Scope {
  readonly inTransaction = true;
  readonly #queue: WorkQueue;
  #state: 'open' | 'ending' | 'ended' = 'open';

  constructor(
    readonly pinned: PinnedConnection,
    /** The enclosing scope of a nested transaction; undefined for the outer transaction. */
    readonly parent?: TransactionScope,
  ) {
    this.#queue = parent ? new WorkQueue() : pinned.queue;
  }

  /** True while the scope accepts work: neither it nor its transaction has begun to end. */
  get open(): boolean {
    return this.#state === 'open' && !this.pinned.ending && !this.pinned.finished;
  }

  /** True once the scope is over for good; ambient lookup skips it (see `ambientScope`). */
  get ended(): boolean {
    return this.#state === 'ended' || this.pinned.finished;
  }

  run<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    const target = this.#target();
    const refused = target.#refusal();
    if (refused) return Promise.reject(refused);
    return target.#queue.push(() => {
      const late = target.#refusal();
      if (late) throw late;
      return fn(target.pinned.lease.connection);
    });
  }

  transaction<T>(fn: (scope: Scope) => Promise<T>): Promise<T> {
    const target = this.#target();
    const refused = target.#refusal();
    if (refused) return Promise.reject(refused);
    return target.#queue.push(() => target.#nested(fn));
  }

  #refusal(): Error | undefined {
    if (!this.open) return new TransactionEndedError();
    if (this.pinned.rollbackOnly) return new TransactionRollbackOnlyError(this.pinned.rollbackCause);
    return undefined;
  }

  /** This scope, or the innermost open nested scope below it that the caller is running inside. */
  #target(): TransactionScope {
    let ambient = this.pinned.storage.getStore();
    while (ambient instanceof TransactionScope && !ambient.open) ambient = ambient.parent;
    if (!(ambient instanceof TransactionScope) || ambient === this) return this;
    for (let s = ambient.parent; s; s = s.parent) if (s === this) return ambient;
    return this;
  }

  /** Runs as one job of this scope's queue, so the nested transaction holds the connection throughout. */
  async #nested<T>(fn: (scope: Scope) => Promise<T>): Promise<T> {
    const { pinned } = this;
    const refused = this.#refusal();
    if (refused) throw refused;
    const connection = pinned.lease.connection;
    const savepoint = pinned.capabilities.savepoints ? pinned.nextSavepoint() : undefined;
    if (savepoint) await connection.savepoint(savepoint);
    const child = new TransactionScope(pinned, this);
    try {
      const result = await pinned.storage.run(child, () => fn(child));
      await child.#queue.settled();
      child.#state = 'ending';
      if (savepoint) await connection.releaseSavepoint(savepoint);
      return result;
    } catch (error) {
      await child.#queue.settled();
      child.#state = 'ending';
      if (!savepoint) {
        // Without savepoints the nested work cannot be undone alone: the whole transaction must roll back.
        pinned.markRollbackOnly(error);
      } else {
        await connection.rollbackToSavepoint(savepoint).catch(() => pinned.markRollbackOnly(error));
      }
      throw error;
    } finally {
      child.#state = 'ended';
    }
  }
}
