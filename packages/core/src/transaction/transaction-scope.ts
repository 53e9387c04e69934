import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Capabilities } from '../driver/capabilities.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import type { Lease } from '../pool/lease.js';
import type { Scope } from './scope.js';

const noop = (): void => undefined;

/** State shared by a transaction and the savepoint scopes nested in it: one pinned connection. */
export class PinnedConnection {
  #tail: Promise<unknown> = Promise.resolve();
  #savepoints = 0;
  finished = false;
  /** Set when a nested transaction failed on a backend without savepoints: the whole transaction must roll back. */
  rollbackOnly = false;

  constructor(
    readonly lease: Lease,
    readonly capabilities: Capabilities,
    readonly storage: AsyncLocalStorage<Scope>,
  ) {}

  /**
   * Runs `fn` on the pinned connection after everything queued before it: concurrent calls inside a
   * transaction (`Promise.all`) execute one at a time, in the order they were made.
   */
  enqueue<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    const next = this.#tail.then(() => {
      if (this.finished) throw new Error('berth: the transaction has already ended');
      return fn(this.lease.connection);
    });
    this.#tail = next.then(noop, noop);
    return next;
  }

  /** Resolves when every operation queued so far has finished. */
  settled(): Promise<void> {
    return this.#tail.then(noop, noop);
  }

  nextSavepoint(): string {
    return `berth_sp_${++this.#savepoints}`;
  }
}

/**
 * A scope inside a transaction. Operations go through the pinned connection's queue; a nested
 * `transaction()` becomes a savepoint where the backend has them. Nested transactions of one scope run
 * one after the other, so savepoints never interleave.
 */
export class TransactionScope implements Scope {
  readonly inTransaction = true;
  #nestedTail: Promise<unknown> = Promise.resolve();

  constructor(readonly pinned: PinnedConnection) {}

  run<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    return this.pinned.enqueue(fn);
  }

  transaction<T>(fn: (scope: Scope) => Promise<T>): Promise<T> {
    const next = this.#nestedTail.then(() => this.#nested(fn));
    this.#nestedTail = next.then(noop, noop);
    return next;
  }

  async #nested<T>(fn: (scope: Scope) => Promise<T>): Promise<T> {
    const { pinned } = this;
    const child = new TransactionScope(pinned);
    if (!pinned.capabilities.savepoints) {
      // Without savepoints the inner work is part of the outer transaction; if it fails, the outer one
      // must not commit half of it, so it is marked to roll back.
      try {
        return await pinned.storage.run(child, () => fn(child));
      } catch (error) {
        pinned.rollbackOnly = true;
        throw error;
      }
    }
    const name = pinned.nextSavepoint();
    await this.run((c) => c.savepoint(name));
    try {
      const result = await pinned.storage.run(child, () => fn(child));
      await pinned.settled();
      await this.run((c) => c.releaseSavepoint(name));
      return result;
    } catch (error) {
      await pinned.settled();
      await this.run((c) => c.rollbackToSavepoint(name)).catch(() => {
        pinned.rollbackOnly = true;
      });
      throw error;
    }
  }
}
