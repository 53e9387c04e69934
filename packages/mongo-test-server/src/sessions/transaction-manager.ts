import type { Document } from 'bson';
import { CommandError, ErrorCodes, writeConflict } from '../errors.js';
import { Collection } from '../storage/collection.js';
import type { Storage } from '../storage/storage.js';
import { Transaction } from './transaction.js';

interface SessionState {
  txnNumber: number;
  transaction: Transaction | undefined;
  /** Last retryable write (txnNumber without a transaction) and its reply, for retry dedupe. */
  retry: { txnNumber: number; command: string; reply: Document } | undefined;
}

const transientLabels = ['TransientTransactionError'];

/** Error replied when a transaction is unknown/aborted; the driver retries the whole transaction. */
export function noSuchTransaction(txnNumber: number, reason = ''): CommandError {
  return new CommandError(
    ErrorCodes.NoSuchTransaction,
    `Transaction with { txnNumber: ${txnNumber} } has been aborted.${reason ? ` ${reason}` : ''}`,
    { labels: transientLabels },
  );
}

/**
 * Tracks logical sessions, their transactions, and per-document write locks.
 *
 * Concurrency model: a transaction locks every `_id` it writes (per namespace) until it commits or
 * aborts. Any other writer — transactional or not — that touches a locked document gets a
 * WriteConflict instead of blocking, which is what the driver's transaction retry logic expects.
 */
export class TransactionManager {
  readonly #storage: Storage;
  readonly #sessions = new Map<string, SessionState>();
  readonly #locks = new Map<string, Transaction>();
  lifetimeLimitMs: number;

  constructor(storage: Storage, lifetimeLimitMs: number) {
    this.#storage = storage;
    this.lifetimeLimitMs = lifetimeLimitMs;
  }

  #session(key: string): SessionState {
    let state = this.#sessions.get(key);
    if (!state) {
      state = { txnNumber: -1, transaction: undefined, retry: undefined };
      this.#sessions.set(key, state);
    }
    return state;
  }

  /**
   * Resolves the transaction for a command carrying `autocommit: false`: starts one on
   * `startTransaction`, otherwise returns the open one for that txnNumber or throws NoSuchTransaction.
   */
  resolve(sessionKey: string, txnNumber: number, start: boolean): Transaction {
    this.expireIdle();
    const session = this.#session(sessionKey);
    if (txnNumber < session.txnNumber) {
      throw new CommandError(
        ErrorCodes.TransactionTooOld,
        `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started.`,
      );
    }
    if (start) {
      if (txnNumber === session.txnNumber && session.transaction) {
        throw new CommandError(
          ErrorCodes.BadValue,
          `Given transaction number ${txnNumber} does not match any in-progress transactions.`,
        );
      }
      if (session.transaction?.isOpen) this.abort(session.transaction);
      const transaction = new Transaction(sessionKey, txnNumber);
      session.txnNumber = txnNumber;
      session.transaction = transaction;
      return transaction;
    }
    const transaction = session.transaction;
    if (!transaction || transaction.txnNumber !== txnNumber || !transaction.isOpen) {
      if (transaction?.txnNumber === txnNumber && transaction.state === 'committed') {
        throw new CommandError(
          ErrorCodes.TransactionCommitted,
          `Transaction with { txnNumber: ${txnNumber} } has been committed.`,
        );
      }
      throw noSuchTransaction(txnNumber);
    }
    transaction.touch();
    return transaction;
  }

  /** The session's transaction with this number, in any state (for commit/abort retries). */
  find(sessionKey: string, txnNumber: number): Transaction | undefined {
    this.expireIdle();
    const transaction = this.#sessions.get(sessionKey)?.transaction;
    return transaction?.txnNumber === txnNumber ? transaction : undefined;
  }

  /** The retry-dedupe record for a retryable write, if this exact (lsid, txnNumber) already ran. */
  retriedWrite(sessionKey: string, txnNumber: number, command: string): Document | undefined {
    const retry = this.#sessions.get(sessionKey)?.retry;
    return retry && retry.txnNumber === txnNumber && retry.command === command ? retry.reply : undefined;
  }

  recordRetryableWrite(sessionKey: string, txnNumber: number, command: string, reply: Document): void {
    const session = this.#session(sessionKey);
    session.txnNumber = Math.max(session.txnNumber, txnNumber);
    session.retry = { txnNumber, command, reply };
  }

  /**
   * Acquires the write lock of one document for `transaction` (or checks that a non-transactional
   * writer is not blocked by someone's lock). Throws WriteConflict on contention.
   */
  lock(transaction: Transaction | undefined, namespace: string, idKey: string): void {
    const lockKey = `${namespace}|${idKey}`;
    const holder = this.#locks.get(lockKey);
    if (holder && holder !== transaction) {
      if (holder.isOpen && !this.#isExpired(holder)) throw writeConflict();
      if (holder.isOpen) this.abort(holder);
      this.#locks.delete(lockKey);
    }
    if (transaction) {
      this.#locks.set(lockKey, transaction);
      transaction.locks.add(lockKey);
    }
  }

  /**
   * Applies a transaction's writes all-or-nothing. Every touched collection is rebuilt from the
   * current committed state plus the transaction's writes (re-checking unique indexes); only if
   * every collection validates are they swapped in.
   */
  commit(transaction: Transaction): void {
    if (transaction.state === 'committed') return;
    if (!transaction.isOpen) throw noSuchTransaction(transaction.txnNumber);
    const staged: Collection[] = [];
    try {
      for (const shadow of transaction.shadows.values()) {
        if (shadow.writes.size === 0) continue;
        const { db, name } = shadow.collection;
        const committed = this.#storage.getCollection(db, name);
        const target = committed ? committed.clone() : this.#fresh(shadow.collection);
        // Remove first, then (re)insert, so swapping unique values between documents is fine.
        for (const id of shadow.writes) {
          if (committed && committed.versionOf(id) > shadow.snapshotSeq) throw writeConflict();
          target.remove(id);
        }
        for (const id of shadow.writes) {
          const doc = shadow.collection.get(id);
          if (doc) target.insert(doc);
        }
        staged.push(target);
      }
    } catch (error) {
      this.abort(transaction);
      throw error;
    }
    for (const collection of staged) this.#storage.putCollection(collection);
    transaction.state = 'committed';
    this.#release(transaction);
  }

  abort(transaction: Transaction): void {
    if (transaction.isOpen) transaction.state = 'aborted';
    transaction.shadows.clear();
    this.#release(transaction);
  }

  /** Aborts every transaction idle for longer than the lifetime limit. */
  expireIdle(): void {
    for (const session of this.#sessions.values()) {
      const transaction = session.transaction;
      if (transaction?.isOpen && this.#isExpired(transaction)) this.abort(transaction);
    }
  }

  /** `endSessions`/`killSessions`: abort their transactions and forget them. */
  endSession(sessionKey: string): void {
    const session = this.#sessions.get(sessionKey);
    if (session?.transaction?.isOpen) this.abort(session.transaction);
    this.#sessions.delete(sessionKey);
  }

  /** Number of transactions currently open (for serverStatus). */
  get openCount(): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.transaction?.isOpen) count++;
    return count;
  }

  clear(): void {
    for (const session of this.#sessions.values()) if (session.transaction) this.abort(session.transaction);
    this.#sessions.clear();
    this.#locks.clear();
  }

  #isExpired(transaction: Transaction): boolean {
    return Date.now() - transaction.lastActivity > this.lifetimeLimitMs;
  }

  #release(transaction: Transaction): void {
    for (const key of transaction.locks) if (this.#locks.get(key) === transaction) this.#locks.delete(key);
    transaction.locks.clear();
  }

  #fresh(shadow: Collection): Collection {
    const collection = new Collection(
      shadow.db,
      shadow.name,
      this.#storage.tick,
      shadow.options,
      shadow.uuid,
    );
    for (const spec of shadow.indexes()) if (spec.name !== '_id_') collection.addIndex(spec);
    return collection;
  }
}
