import type { Capabilities } from './driver/capabilities.js';
import type { Entity } from './entity/define-entity.js';
import { Repository } from './repository/repository.js';
import type { Scope } from './transaction/scope.js';
import { UnitOfWork } from './unit-of-work/unit-of-work.js';

/**
 * What `Database` and `Transaction` share: repositories, units of work and transactions, all running on
 * the session's scope.
 */
export abstract class Session {
  constructor(
    readonly capabilities: Capabilities,
    protected readonly scope: () => Scope,
  ) {}

  /** A repository for `entity`, running on this session (and joining an ambient transaction, if any). */
  repository<E extends Entity>(entity: E): Repository<E> {
    return new Repository(entity, this.scope, this.capabilities);
  }

  /** A fresh unit of work (one per request): identity map, change tracking, one-transaction flush. */
  unitOfWork(): UnitOfWork {
    return new UnitOfWork(this.scope, this.capabilities);
  }

  /**
   * Runs `fn` in a transaction on one pinned connection; commits when it resolves, rolls back when it
   * throws (and rethrows). Repositories used inside, through `tx` or through this database, join it.
   * Concurrent calls inside are serialized in call order. A nested call is a savepoint where the backend
   * has them; otherwise it joins the outer transaction, which then rolls back if the inner one fails.
   * Throws `TransactionsUnsupportedError` where the deployment has no transactions.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.scope().transaction((scope) => fn(new Transaction(this.capabilities, () => scope)));
  }
}

/** The handle a transaction callback receives. */
export class Transaction extends Session {}
