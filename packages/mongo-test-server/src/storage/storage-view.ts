import type { Transaction } from '../sessions/transaction.js';
import type { TransactionManager } from '../sessions/transaction-manager.js';
import { Collection } from './collection.js';
import type { Storage } from './storage.js';

/**
 * What a CRUD command sees: the committed storage, or — inside a transaction — the transaction's
 * snapshots. Handlers go through this so they never need to know whether they run transactionally.
 */
export class StorageView {
  readonly #storage: Storage;
  readonly #transactions: TransactionManager;
  readonly transaction: Transaction | undefined;

  constructor(storage: Storage, transactions: TransactionManager, transaction: Transaction | undefined) {
    this.#storage = storage;
    this.#transactions = transactions;
    this.transaction = transaction;
  }

  /** The collection to read from (undefined if it does not exist in this view). */
  read(db: string, name: string): Collection | undefined {
    if (!this.transaction) return this.#storage.getCollection(db, name);
    const shadow = this.#shadow(db, name);
    return shadow.existed || shadow.writes.size > 0 ? shadow.collection : undefined;
  }

  /** The collection to write to, created implicitly if missing. */
  write(db: string, name: string): Collection {
    if (!this.transaction) return this.#storage.ensureCollection(db, name).collection;
    return this.#shadow(db, name).collection;
  }

  /** Whether {@link write} would create the collection. */
  exists(db: string, name: string): boolean {
    return this.read(db, name) !== undefined;
  }

  /**
   * Must be called before writing the document with this `_id`: takes the transaction's lock (or,
   * outside a transaction, checks nobody holds one) and records the write for commit.
   */
  beforeWrite(collection: Collection, idKey: string): void {
    this.#transactions.lock(this.transaction, collection.namespace, idKey);
    if (!this.transaction) return;
    const shadow = this.#shadow(collection.db, collection.name);
    shadow.writes.add(idKey);
  }

  #shadow(db: string, name: string) {
    const transaction = this.transaction as Transaction;
    const ns = `${db}.${name}`;
    let shadow = transaction.shadows.get(ns);
    if (!shadow) {
      const committed = this.#storage.getCollection(db, name);
      shadow = {
        collection: committed ? committed.clone() : new Collection(db, name, this.#storage.tick),
        existed: committed !== undefined,
        snapshotSeq: this.#storage.sequence,
        writes: new Set<string>(),
      };
      transaction.shadows.set(ns, shadow);
    }
    return shadow;
  }
}
