import type { Capabilities } from './driver/capabilities.js';
import type { Entity } from './entity/define-entity.js';
import {
  type RawExecuteTag,
  type RawSqlTag,
  rawExecuteTag,
  rawSqlTag,
  withNativeCollection,
} from './raw/raw-sql.js';
import { ByIdLoader } from './batching/by-id-loader.js';
import { readByIds } from './batching/read-by-ids.js';
import { Repository, checkId } from './repository/repository.js';
import { runTransaction } from './transaction/run-transaction.js';
import type { TransactionWrappers } from './transaction/transaction-wrappers.js';
import type { Scope } from './transaction/scope.js';
import type { TransactionAttempt, TransactionOptions } from './transaction/transaction-options.js';
import { UnitOfWork } from './unit-of-work/unit-of-work.js';

/**
 * What `Database` and `Transaction` share: repositories, units of work and transactions, all running on
 * the session's scope.
 */
export abstract class Session {
  #sql: RawSqlTag | undefined;
  #execute: RawExecuteTag | undefined;

  constructor(
    /**
     * What the backend can do (transactions, savepoints, locking reads, generated ids...): test it before using a
     * feature some backends lack.
     */
    readonly capabilities: Capabilities,
    /** @internal Where the session's statements run (the pool, or a transaction's connection). */
    protected readonly scope: () => Scope,
    /** The database's transaction wrappers (see `Database.wrapTransactions`), shared with its transactions. */
    protected readonly wrappers?: TransactionWrappers,
  ) {}

  /** A repository for `entity`, running on this session (and joining an ambient transaction, if any). */
  repository<E extends Entity>(entity: E): Repository<E> {
    return new Repository(entity, this.scope, this.capabilities);
  }

  /**
   * A request-scoped `findById` batcher for `entity`: `load(id)` calls issued in the same tick become one
   * `IN` read (see `ByIdLoader`). Make one per request; nothing is cached across batches.
   */
  loader<E extends Entity>(entity: E): ByIdLoader<E> {
    const repository = this.repository(entity);
    return new ByIdLoader(
      entity,
      (ids) => readByIds(repository, ids),
      (id) => checkId(entity, id),
    );
  }

  /** A fresh unit of work (one per request): identity map, change tracking, one-transaction flush. */
  unitOfWork(): UnitOfWork {
    return new UnitOfWork(this.scope, this.capabilities, this.wrappers);
  }

  /**
   * Runs `fn` in a transaction on one pinned connection; commits when it resolves, rolls back when it
   * throws (and rethrows). Throws `TransactionsUnsupportedError` where the deployment has no transactions.
   *
   * **What joins.** Work through `tx` joins it. Work through this database (or any handle of it) joins it
   * *ambiently* when it is started in the callback's async context (AsyncLocalStorage): awaited calls,
   * promises created inside, and timers, intervals and event listeners registered inside. Work started
   * elsewhere (a listener registered before the transaction, another request) does not join.
   * Concurrent calls inside (`Promise.all`) run one at a time, in call order.
   *
   * **When it ends.** From the moment `COMMIT` or `ROLLBACK` is sent, the transaction refuses new work with
   * `TransactionEndedError`, so nothing can run after it in autocommit. Work through `tx` after the end is
   * refused the same way: the handle names that transaction. Ambient work that starts after the end (a
   * timer that fires later) runs outside it: in the enclosing transaction if that one is still open, else
   * on the pool, as if no transaction had been there.
   *
   * **Nested calls** (`tx.transaction`, or `db.transaction` inside the callback) are savepoints where the
   * backend has them: a failed nested call is undone alone and the outer transaction goes on. A nested
   * transaction holds the connection from its `SAVEPOINT` to its `RELEASE`/`ROLLBACK TO`; sibling work on the
   * outer transaction (`Promise.all([tx.transaction(...), repo.insert(...)])`) waits until it ends, so it is
   * never undone with it. Work addressed to the outer handle from inside the nested callback (a repository
   * made from `tx` before the nested call) joins the nested transaction instead of waiting for it, which
   * would deadlock. The nested callback must not wait for outer work started outside it.
   *
   * **Without savepoints** (`capabilities.savepoints` false: MongoDB) a nested call runs in the outer
   * transaction. If it fails, its work cannot be undone alone, so the transaction becomes rollback-only,
   * even when the caller catches the failure: every later operation on it is refused, and it rolls back
   * and rejects with `TransactionRollbackOnlyError` (whose `cause` is the nested failure), unless the
   * callback throws an error of its own, which is rethrown. The same happens on any backend when undoing
   * a failed savepoint fails.
   *
   * `options` (see `TransactionOptions`): `isolation`, `readOnly`, and `retry`, which re-runs the whole
   * callback after a retryable conflict; `fn` is told which attempt it is on. Invalid options throw
   * `ValidationError`; on a nested transaction `isolation`/`readOnly` must match the outer one's and `retry`
   * is refused.
   */
  transaction<T>(
    fn: (tx: Transaction, attempt: TransactionAttempt) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T> {
    return runTransaction(
      this.scope(),
      (scope, attempt) => fn(new Transaction(this.capabilities, () => scope, this.wrappers), attempt),
      options,
      this.wrappers,
    );
  }

  /**
   * Raw SQL on this session (the pool, or the transaction's connection, ambient one included):
   * `` db.sql<Row>`select * from ${db.sql.id('employees')} where id = ${id}` `` resolves to `Row[]`. Every
   * interpolated value is a bound parameter; identifiers go through `sql.id`; fragments made with the `sql`
   * tag nest. Rows are returned as the driver decodes them (no entity decoding). Errors are neutral (a
   * duplicate key is `UniqueViolationError`). MongoDB refuses it with `UnsupportedFeatureError`.
   */
  get sql(): RawSqlTag {
    this.#sql ??= rawSqlTag(this.scope);
    return this.#sql;
  }

  /** Raw SQL for statements without rows: `` await db.execute`delete from ...` `` resolves to the rows affected. */
  get execute(): RawExecuteTag {
    this.#execute ??= rawExecuteTag(this.scope);
    return this.#execute;
  }

  /**
   * The driver's own collection for `entity`, for what berth does not cover (aggregations, bulk writes):
   * `fn` receives the adapter's access object (on MongoDB `{ collection, session }`: pass `{ session }` to
   * every operation, so it joins the current transaction) and runs while one connection is held for it.
   * Inside the callback use only that access object: berth calls on the same transaction would wait for
   * the callback and deadlock. SQL backends refuse it with `UnsupportedFeatureError` (use `sql`).
   */
  collection<Access = unknown, T = unknown>(entity: Entity, fn: (access: Access) => Promise<T>): Promise<T> {
    return withNativeCollection(this.scope(), entity, fn);
  }
}

/** The handle a transaction callback receives. */
export class Transaction extends Session {}
