import {
  ConnectionLostError,
  type CountCommand,
  DatabaseError,
  type DeleteCommand,
  type DriverConnection,
  type EntityMeta,
  type FindCommand,
  type InsertCommand,
  type StoredRow,
  TransactionsUnsupportedError,
  type UpdateCommand,
} from '@berth/core';
import { type ClientSession, type Db, type Document, MongoError } from 'mongodb';
import { compileFilter, targetsOneDocument } from './compile-filter.js';
import { compileSort } from './compile-sort.js';
import { decodeDocument, encodeDocument, encodeSet } from './document-codec.js';
import { indexSpec } from './index-specs.js';
import { type MongoErrorContext, mapMongoError } from './map-mongo-error.js';

/** Commit attempts when the outcome is unknown (`UnknownTransactionCommitResult`); the driver retries once more itself. */
const COMMIT_ATTEMPTS = 3;
const NAMESPACE_EXISTS = 48;

/** What a connection needs from its driver. */
export interface MongoConnectionSettings {
  /** The deployment runs multi-document transactions (replica set or mongos). */
  readonly transactions: boolean;
  /** Sent as `maxTimeMS` on every command, and as `maxCommitTimeMS`. */
  readonly statementTimeoutMs: number | undefined;
  /** The driver pool's state, for a wait-queue timeout. */
  readonly pool: MongoErrorContext['pool'];
}

/**
 * One logical berth connection to MongoDB: a `ClientSession`, created with the connection and ended
 * when it is destroyed. The driver checks a physical socket out of its own pool for each command, so
 * a berth connection holds no socket while idle; berth's pool bounds the sessions to `max`, and the
 * driver's pool (`maxPoolSize = max`) then never has more commands in flight than sockets.
 *
 * Every command carries the session (never an implicit one), so a transaction begun with `begin()`
 * covers every command until `commit()`/`rollback()`, and the server knows exactly one session per
 * berth connection. Causal consistency is off: like a plain connection, it carries no ordering state
 * from one user of the pool to the next.
 */
export class MongoConnection implements DriverConnection {
  readonly id: string;
  readonly #db: Db;
  readonly #session: ClientSession;
  readonly #settings: MongoConnectionSettings;
  #broken = false;
  #inTransaction = false;

  constructor(id: string, db: Db, session: ClientSession, settings: MongoConnectionSettings) {
    this.id = id;
    this.#db = db;
    this.#session = session;
    this.#settings = settings;
  }

  /** True once a command failed with a lost connection; the core then destroys this connection. */
  get broken(): boolean {
    return this.#broken;
  }

  /** True between `begin()` and `commit()`/`rollback()`. */
  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** The session's `lsid` as 32 hex digits, once the session has been used (for tests and diagnostics). */
  get sessionId(): string | undefined {
    return this.#session.id?.id.toString('hex');
  }

  async #run<T>(entity: EntityMeta | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const mapped = mapMongoError(error, { entity, pool: this.#settings.pool });
      if (mapped instanceof ConnectionLostError) this.#broken = true;
      throw mapped;
    }
  }

  #options(): { session: ClientSession; maxTimeMS?: number } {
    const { statementTimeoutMs } = this.#settings;
    return statementTimeoutMs === undefined
      ? { session: this.#session }
      : { session: this.#session, maxTimeMS: statementTimeoutMs };
  }

  /** DDL and pings never join a transaction: they run on the session only outside one. */
  #outsideTransaction(): { session?: ClientSession } {
    return this.#inTransaction ? {} : { session: this.#session };
  }

  #collection(entity: EntityMeta) {
    return this.#db.collection(entity.name);
  }

  /** The first round trip, made when the driver creates the connection; returns the server's `hello`. */
  hello(): Promise<Document> {
    return this.#run(undefined, () => this.#db.command({ hello: 1 }, { session: this.#session }));
  }

  async find(command: FindCommand): Promise<StoredRow[]> {
    const { entity } = command;
    const filter = compileFilter(command.where);
    const options = { ...this.#options(), sort: compileSort(command.orderBy) };
    const docs = await this.#run(entity, () =>
      this.#collection(entity)
        .find(filter, command.limit === undefined ? options : { ...options, limit: command.limit })
        .toArray(),
    );
    return docs.map((doc) => decodeDocument(entity, doc));
  }

  count(command: CountCommand): Promise<number> {
    const filter = compileFilter(command.where);
    return this.#run(command.entity, () =>
      this.#collection(command.entity).countDocuments(filter, this.#options()),
    );
  }

  /**
   * Inserts with one ordered `insertMany` (the driver splits it into batches). Several rows outside a
   * transaction get a transaction of their own, so the insert is all or nothing; on a standalone
   * server that is impossible and `TransactionsUnsupportedError` is thrown before anything is sent.
   */
  async insert(command: InsertCommand): Promise<void> {
    const { entity } = command;
    if (command.rows.length === 0) return;
    const docs = command.rows.map((row) => encodeDocument(entity, row));
    const write = () =>
      this.#run(entity, () =>
        this.#collection(entity).insertMany(docs, { ...this.#options(), ordered: true }),
      );
    if (docs.length === 1 || this.#inTransaction) {
      await write();
      return;
    }
    if (!this.#settings.transactions) throw new TransactionsUnsupportedError();
    await this.begin();
    try {
      await write();
      await this.commit();
    } catch (error) {
      await this.rollback().catch(() => undefined);
      throw error;
    }
  }

  /**
   * `$set` on the matching documents (`updateOne` when the filter fixes the id, else `updateMany`),
   * resolving to the documents matched (not modified), as the core's optimistic-lock checks need. Outside a transaction each document is updated atomically; the core
   * only updates one document (by id and version) outside one.
   */
  async update(command: UpdateCommand): Promise<number> {
    const { entity } = command;
    const filter = compileFilter(command.where);
    if (Object.keys(command.set).length === 0) return this.count(command);
    const set = encodeSet(entity, command.set);
    const collection = this.#collection(entity);
    // A filter on one id can match one document at most: updateOne is a retryable write, which the
    // driver repeats exactly once on a new socket after a network error (updateMany is not).
    const one = targetsOneDocument(command.where);
    const result = await this.#run(entity, () =>
      one
        ? collection.updateOne(filter, { $set: set }, this.#options())
        : collection.updateMany(filter, { $set: set }, this.#options()),
    );
    return result.matchedCount;
  }

  async delete(command: DeleteCommand): Promise<number> {
    const filter = compileFilter(command.where);
    const collection = this.#collection(command.entity);
    const one = targetsOneDocument(command.where);
    const result = await this.#run(command.entity, () =>
      one ? collection.deleteOne(filter, this.#options()) : collection.deleteMany(filter, this.#options()),
    );
    return result.deletedCount;
  }

  /**
   * Starts a transaction on the session: snapshot reads, majority writes. Nothing is sent until the
   * first command. `TransactionsUnsupportedError` on a standalone server.
   */
  async begin(): Promise<void> {
    if (!this.#settings.transactions) throw new TransactionsUnsupportedError();
    if (this.#inTransaction)
      throw new DatabaseError('a MongoDB transaction is already in progress on this connection');
    const { statementTimeoutMs } = this.#settings;
    this.#session.startTransaction({
      readConcern: { level: 'snapshot' },
      writeConcern: { w: 'majority' },
      ...(statementTimeoutMs === undefined ? {} : { maxCommitTimeMS: statementTimeoutMs }),
    });
    this.#inTransaction = true;
  }

  /**
   * Commits, retrying while the outcome is unknown (`UnknownTransactionCommitResult`: commits are
   * idempotent, so retrying is safe). A `TransientTransactionError` surfaces as the retryable
   * `TransactionConflictError`: nothing was committed and the caller can run the whole unit of work again.
   */
  async commit(): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.#session.commitTransaction();
          return;
        } catch (error) {
          const unknown =
            error instanceof MongoError &&
            error.hasErrorLabel('UnknownTransactionCommitResult') &&
            (error as { code?: number }).code !== 50;
          if (!unknown || attempt >= COMMIT_ATTEMPTS) throw error;
        }
      }
    } catch (error) {
      return this.#run(undefined, () => Promise.reject(error));
    } finally {
      // A failed commit ends the transaction too: the server has aborted it, or its outcome is lost.
      this.#inTransaction = false;
    }
  }

  async rollback(): Promise<void> {
    if (!this.#inTransaction) return;
    try {
      await this.#run(undefined, () => this.#session.abortTransaction());
    } finally {
      this.#inTransaction = false;
    }
  }

  savepoint(): Promise<void> {
    return Promise.reject(new DatabaseError('MongoDB has no savepoints'));
  }

  rollbackToSavepoint(): Promise<void> {
    return Promise.reject(new DatabaseError('MongoDB has no savepoints'));
  }

  releaseSavepoint(): Promise<void> {
    return Promise.reject(new DatabaseError('MongoDB has no savepoints'));
  }

  async ping(): Promise<void> {
    await this.#run(undefined, () => this.#db.command({ ping: 1 }, this.#outsideTransaction()));
  }

  /**
   * Creates each entity's collection explicitly (an existing one is kept) and its indexes under their
   * berth names. `createIndexes` with an identical specification is a no-op, so running this again, or
   * from several processes at once, is safe without a lock; a same-named index with a different
   * specification fails with `DatabaseError` rather than being replaced.
   */
  async ensureSchema(entities: readonly EntityMeta[]): Promise<void> {
    const options = this.#outsideTransaction();
    for (const entity of entities) {
      await this.#run(entity, async () => {
        try {
          await this.#db.createCollection(entity.name, options);
        } catch (error) {
          if ((error as { code?: number }).code !== NAMESPACE_EXISTS) throw error;
        }
        if (entity.indexes.length === 0) return;
        await this.#collection(entity).createIndexes(
          entity.indexes.map((index) => indexSpec(entity, index)),
          options,
        );
      });
    }
  }

  /** Ends the session (aborting any transaction server-side). Never throws. */
  async end(): Promise<void> {
    this.#inTransaction = false;
    await this.#session.endSession().catch(() => undefined);
  }
}
