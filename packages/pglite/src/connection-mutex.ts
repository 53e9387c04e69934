import { ConnectionLostError } from '@berth/core';

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Serializes use of a single connection, first come first served: `lock` resolves once every earlier
 * holder has called `unlock`. The core's pool already queues callers in front of a driver with `max` 1;
 * this keeps `PGliteDriver.acquire` safe on its own, as Kysely's `ConnectionMutex` does for one-connection
 * engines.
 */
export class ConnectionMutex {
  #locked = false;
  readonly #waiters: Waiter[] = [];

  /** True while someone holds the lock. */
  get locked(): boolean {
    return this.#locked;
  }

  /** Resolves when the caller holds the lock; rejects if the mutex is abandoned first. */
  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Hands the lock to the next waiter, or frees it. */
  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next.resolve();
    else this.#locked = false;
  }

  /** Fails every waiter (the connection is gone) and frees the lock. */
  abandon(reason: Error = new ConnectionLostError('the database was closed')): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
    this.#locked = false;
  }
}
