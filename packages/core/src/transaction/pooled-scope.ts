import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Capabilities } from '../driver/capabilities.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import { TransactionRollbackOnlyError } from '../errors/transaction-rollback-only-error.js';
import { TransactionsUnsupportedError } from '../errors/transactions-unsupported-error.js';
import type { Pool } from '../pool/pool.js';
import { resolveLostCommit } from './resolve-lost-commit.js';
import type { Scope } from './scope.js';
import type { BeginOptions } from './transaction-options.js';
import { PinnedConnection, TransactionScope } from './transaction-scope.js';

/** What a caller of `PooledScope.transaction` may do on the transaction's connection around it. */
export interface TransactionLeaseHooks {
  /** Right after the connection is taken from the pool, before BEGIN. */
  beforeBegin?(connection: DriverConnection): void;
  /** Once the transaction has ended, whatever its outcome, before the connection goes back to the pool. */
  beforeRelease?(connection: DriverConnection): void;
}

/**
 * The scope outside any transaction: each operation takes a connection from the pool and gives it back,
 * whatever happens. `transaction()` pins one connection for the whole callback and makes the callback's
 * scope ambient (AsyncLocalStorage), so any repository used inside joins it instead of taking a second
 * connection; with a pool of one, nested use therefore cannot deadlock.
 */
export class PooledScope implements Scope {
  readonly inTransaction = false;

  constructor(
    readonly pool: Pool,
    readonly capabilities: Capabilities,
    readonly storage: AsyncLocalStorage<Scope>,
  ) {}

  /** Runs `fn` on a pooled connection; a lone write whose reply was lost is resolved (`resolveLostCommit`). */
  run<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    return resolveLostCommit(this.pool, () => this.#run(fn));
  }

  /** Runs reads on a connection other callers' reads may share (`Pool.runShared`). */
  runRead<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    return this.pool.runShared(fn);
  }

  async #run<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    const lease = await this.pool.acquire();
    try {
      return await fn(lease.connection);
    } finally {
      await this.pool.release(lease);
    }
  }

  /**
   * Runs `fn` in a transaction; a COMMIT whose reply was lost is resolved (`resolveLostCommit`).
   * `afterCommit` sees the connection right after its COMMIT was answered, before it goes back to the pool
   * (read replicas read the primary's position there: the one the COMMIT's reply carried, else with a
   * query on that connection). It must not throw: the transaction has committed. `hooks` run around the whole
   * transaction on its connection (a driver-routed causal session hands its position over there).
   */
  transaction<T>(
    fn: (scope: Scope) => Promise<T>,
    options?: BeginOptions,
    afterCommit?: (connection: DriverConnection) => void | Promise<void>,
    hooks?: TransactionLeaseHooks,
  ): Promise<T> {
    // The callback's result, kept before COMMIT is sent: what a commit resolved as committed returns.
    let kept: T;
    return resolveLostCommit(
      this.pool,
      () =>
        this.#transaction(
          fn,
          options,
          (result) => {
            kept = result;
          },
          afterCommit,
          hooks,
        ),
      () => kept,
    );
  }

  async #transaction<T>(
    fn: (scope: Scope) => Promise<T>,
    options: BeginOptions | undefined,
    keep: (result: T) => void,
    afterCommit: ((connection: DriverConnection) => void | Promise<void>) | undefined,
    hooks: TransactionLeaseHooks | undefined,
  ): Promise<T> {
    if (!this.capabilities.transactions) throw new TransactionsUnsupportedError();
    const lease = await this.pool.acquire();
    const pinned = new PinnedConnection(lease, this.capabilities, this.storage);
    let destroy = false;
    try {
      hooks?.beforeBegin?.(lease.connection);
      await lease.connection.begin(options);
      lease.inTransaction = true;
      const scope = new TransactionScope(pinned);
      const result = await this.storage.run(scope, () => fn(scope));
      await pinned.end();
      if (pinned.rollbackOnly) throw new TransactionRollbackOnlyError(pinned.rollbackCause);
      keep(result);
      await lease.connection.commit();
      lease.inTransaction = false;
      // No await without a callback: a transaction on a database without replicas pays no extra tick.
      if (afterCommit) await afterCommit(lease.connection);
      return result;
    } catch (error) {
      await pinned.end();
      if (lease.inTransaction) {
        try {
          await lease.connection.rollback();
          lease.inTransaction = false;
        } catch {
          destroy = true;
        }
      }
      throw error;
    } finally {
      pinned.finished = true;
      try {
        hooks?.beforeRelease?.(lease.connection);
      } finally {
        await this.pool.release(lease, destroy);
      }
    }
  }
}
