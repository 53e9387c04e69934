import {
  THROUGH_KEY,
  type BeginOptions,
  type Condition,
  type AggregateCommand,
  type AggregateResultRow,
  ConnectionLostError,
  type CountCommand,
  DatabaseError,
  type DeleteCommand,
  type DriverConnection,
  type EntityMeta,
  type FindCommand,
  type MigrationDriver,
  type MigrationOptions,
  type InsertCommand,
  type ModifyCommand,
  type ModifyManyResult,
  type QueryObserver,
  ReadOnlyTransactionError,
  type StoredRow,
  TransactionsUnsupportedError,
  UnsupportedError,
  type UpdateCommand,
  type UpsertCommand,
  type UpsertOutcome,
  hasRelationFilter,
  observeQuery,
  resolveExists,
  type Scalar,
  StatementBoundExceeded,
  withinStatementBound,
  UnsupportedFeatureError,
  hasGeneratedIds,
} from '@berth/core';
import {
  type ClientSession,
  type Db,
  type DeleteResult,
  type Document,
  MongoError,
  MongoNetworkTimeoutError,
  ReadPreference,
} from 'mongodb';
import type { ClusterTimePosition } from './causal/cluster-time-position.js';
import { compileAggregate, emptyGroup } from './compile-aggregate.js';
import { compileFilter, targetsOneDocument } from './compile-filter.js';
import { compilePerGroup } from './compile-per-group.js';
import { compileThrough } from './compile-through.js';
import { decodeAggregateDocument } from './decode-aggregate-document.js';
import { compileProjection } from './compile-projection.js';
import { compileSort } from './compile-sort.js';
import { decodeDocument, decodeValue, encodeDocument, encodeSet } from './document-codec.js';
import { indexSpec } from './index-specs.js';
import {
  lostMongoWriteError,
  noWritesPerformed,
  partlyAppliedError,
  unknownCommitResultError,
} from './lost-write.js';
import { type MongoErrorContext, mapMongoError } from './map-mongo-error.js';
import { type MongoCollectionAccess, checkMongoBeginOptions } from './mongo-escape-hatches.js';
import { type MongoWriteContext, modifyMany, modifyOne, upsert } from './mongo-writes.js';
import { MongoMigrationDriver } from './migration/mongo-migration-driver.js';
import { entityValidation, validationOptions } from './migration/entity-validator.js';
import { markUnsent, sentSince } from './wire-mark.js';

/** Commit attempts when the outcome is unknown (`UnknownTransactionCommitResult`); the driver retries once more itself. */
const COMMIT_ATTEMPTS = 3;
const NAMESPACE_EXISTS = 48;
/** MaxTimeMSExpired: the command's time limit passed (for a commit, possibly after it was applied). */
const MAX_TIME_MS_EXPIRED = 50;
/** How long after the pool's validation bound a ping is aborted: the pool's timer decides, this cleans up. */
const PING_ABORT_MARGIN_MS = 100;

/** What a connection needs from its driver. */
export interface MongoConnectionSettings {
  /** The deployment runs multi-document transactions (replica set or mongos). */
  readonly transactions: boolean;
  /** Sent as `maxTimeMS` on every command, and as `maxCommitTimeMS`. */
  readonly statementTimeoutMs: number | undefined;
  /**
   * The client-side bound of every command that has a statement timeout (see `statementBoundMs`): the
   * socket's read timeout for the command, and the longest the operation may take in all, retries included.
   */
  readonly statementBoundMs: number | undefined;
  /** The driver pool's state, for a wait-queue timeout. */
  readonly pool: MongoErrorContext['pool'];
}

/** Rows of a driver result for a query event: documents returned, or documents written. */
function countResult(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  if (typeof result === 'number') return result;
  const r = result as { insertedCount?: number; matchedCount?: number; deletedCount?: number } | undefined;
  return r?.insertedCount ?? r?.matchedCount ?? r?.deletedCount ?? 0;
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
  /** An operation given up on at its client-side bound, which the driver may still be working on. */
  #abandoned: Promise<void> | undefined;
  /** The server stopped answering (a client-side bound passed): the network may be dark. */
  #silent = false;
  #queries: QueryObserver | undefined;
  /** The current transaction was begun with `readOnly: true`: berth refuses its writes. */
  #readOnly = false;
  /**
   * The current use may be served by a secondary (`beginCausalUse`): its reads follow the client's read
   * preference. Otherwise every read asks for the primary.
   */
  #routable = false;

  constructor(id: string, db: Db, session: ClientSession, settings: MongoConnectionSettings) {
    this.id = id;
    this.#db = db;
    this.#session = session;
    this.#settings = settings;
  }

  /**
   * Starts one use of this connection in a causal session (`mongoCausalReads`): the session's operation
   * time becomes the reader's position, or none (the driver then sends no `afterClusterTime`), whatever an
   * earlier use left; the cluster time it gossiped with moves the session's forward. `routable`: the use is
   * a read berth would give a replica.
   */
  beginCausalUse(position: ClusterTimePosition | undefined, routable: boolean): void {
    this.#routable = routable;
    this.#session.operationTime = position?.operationTime;
    if (position?.clusterTime) this.#session.advanceClusterTime(position.clusterTime);
  }

  /** Ends a use begun with `beginCausalUse`: the position its replies reported (`undefined`: none). */
  endCausalUse(): ClusterTimePosition | undefined {
    const { operationTime, clusterTime } = this.#session;
    this.#routable = false;
    this.#session.operationTime = undefined;
    return operationTime === undefined ? undefined : { operationTime, clusterTime };
  }

  /** True once a command failed with a lost connection; the core then destroys this connection. */
  get broken(): boolean {
    return this.#broken;
  }

  /** True between `begin()` and `commit()`/`rollback()`. */
  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /** A write outside a transaction is its own commit: a lost reply makes its outcome unknown (`lost-write.ts`). */
  async #lone<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.#inTransaction) return work();
    const mark = markUnsent(this.#session);
    const abandoned = this.#abandoned;
    try {
      return await work();
    } catch (error) {
      throw lostMongoWriteError(error, what, this.#sentSince(mark, abandoned));
    }
  }

  /**
   * A write that may change several documents (`updateMany`, `deleteMany`). MongoDB applies one document
   * by document, so one that fails midway (its time limit passes, a document is refused) leaves some
   * changed. Outside a transaction it gets its own, so it is all or nothing like every other backend's
   * statement: one more command (`commitTransaction`; `startTransaction` rides on the write). A standalone
   * server has no transactions: the write runs alone, and a timeout or a document the server refused part
   * way becomes `CommitOutcomeUnknownError` (`partlyAppliedError`). Inside a transaction it joins it.
   */
  async #multi<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.#inTransaction) return work();
    if (!this.#settings.transactions) {
      try {
        return await this.#lone(what, work);
      } catch (error) {
        throw partlyAppliedError(error, what);
      }
    }
    await this.begin();
    try {
      const result = await work();
      await this.commit();
      return result;
    } catch (error) {
      await this.rollback().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Whether the operation begun at `mark` may have reached the server: a command of it was built for the
   * wire (`wire-mark.ts`), or it was given up on at its client-side bound (`#abandoned` changed), when the
   * driver may still be about to send it.
   */
  #sentSince(mark: number, abandoned: Promise<void> | undefined): boolean {
    return this.#abandoned !== abandoned || sentSince(this.#session, mark);
  }

  /** The session's `lsid` as 32 hex digits, once the session has been used (for tests and diagnostics). */
  get sessionId(): string | undefined {
    return this.#session.id?.id.toString('hex');
  }

  /**
   * Runs one driver operation, mapping its errors. A `bounded` operation (one carrying the statement
   * timeout) fails with `ConnectionLostError` once `statementBoundMs` has passed without an answer, even
   * while the driver is still retrying it on another socket: on a dead network each attempt would wait
   * for its own socket timeout.
   */
  #run<T>(
    entity: EntityMeta | undefined,
    work: () => Promise<T>,
    bounded = false,
    command = 'command',
    values: readonly unknown[] = [],
  ): Promise<T> {
    const queries = this.#queries;
    if (queries === undefined || !queries.listening) return this.#mapped(entity, work, bounded);
    return observeQuery(
      queries,
      {
        statement: entity ? `${command} ${entity.name}` : command,
        operation: command,
        collection: entity?.name,
        values,
        inTransaction: this.#inTransaction,
        connectionId: this.id,
      },
      () => this.#mapped(entity, work, bounded),
      countResult,
    );
  }

  /**
   * Reports every command this connection sends to `queries` from now on (`DriverHooks.queries`; the
   * driver calls this when it creates the connection).
   */
  observeQueries(queries: QueryObserver | undefined): void {
    this.#queries = queries;
  }

  /**
   * The driver's collection for `entity` and this connection's session (`db.collection`): inside a
   * transaction the session carries it, so every operation must be given `{ session }`.
   */
  nativeCollection(entity: EntityMeta): MongoCollectionAccess {
    return { collection: this.#collection(entity), session: this.#session };
  }

  /** Refuses a write in a read-only transaction (MongoDB has none; berth keeps the promise client-side). */
  #writable(): void {
    if (this.#readOnly && this.#inTransaction) {
      throw new ReadOnlyTransactionError(
        'cannot write in a read-only transaction (MongoDB, checked by berth)',
      );
    }
  }

  async #mapped<T>(entity: EntityMeta | undefined, work: () => Promise<T>, bounded: boolean): Promise<T> {
    const boundMs = bounded ? this.#settings.statementBoundMs : undefined;
    try {
      return await (boundMs === undefined ? work() : this.#within(work(), boundMs));
    } catch (error) {
      const mapped = mapMongoError(error, { entity, pool: this.#settings.pool });
      if (mapped instanceof ConnectionLostError) this.#broken = true;
      if (error instanceof MongoNetworkTimeoutError) this.#silent = true;
      throw mapped;
    }
  }

  /**
   * `operation`, or `ConnectionLostError` at `ms` if it has not settled by then. The driver's work goes on
   * (it ends at its socket timeouts); the session is ended only once it has settled (see `end`).
   */
  #within<T>(operation: Promise<T>, ms: number): Promise<T> {
    return withinStatementBound(operation, ms).catch((error: unknown) => {
      if (!(error instanceof StatementBoundExceeded)) throw error;
      this.#silent = true;
      this.#abandoned = operation.then(
        () => undefined,
        () => undefined,
      );
      throw new ConnectionLostError(
        `the MongoDB server did not answer on connection ${this.id} within ${ms} ms`,
      );
    });
  }

  /**
   * The options of a command: the session, and with a statement timeout, `maxTimeMS` (the server's
   * bound) and `socketTimeoutMS` (the client's: mongodb reads it per command, and applies it only while
   * the command waits for its answer, so idle pooled sockets and the monitoring connections keep theirs).
   * A socket that times out is closed by the driver, without clearing its pool.
   */
  #options(): { session: ClientSession; maxTimeMS?: number; readPreference?: ReadPreference } {
    const { statementTimeoutMs, statementBoundMs } = this.#settings;
    // Reads berth would not give a replica (in a write, a unit of work, a transaction) ask for the
    // primary, whatever read preference the client has; the others follow the client's.
    const where = this.#routable && !this.#inTransaction ? {} : { readPreference: ReadPreference.primary };
    if (statementTimeoutMs === undefined) return { session: this.#session, ...where };
    // Not in the driver's types for operations, but read from every command's options (mongodb 7).
    const socket = { socketTimeoutMS: statementBoundMs };
    return { session: this.#session, maxTimeMS: statementTimeoutMs, ...socket, ...where };
  }

  /** `socketTimeoutMS` alone, for commands without a statement timeout of their own (pings). */
  #socketBound(): { socketTimeoutMS?: number } {
    const { statementBoundMs } = this.#settings;
    return statementBoundMs === undefined ? {} : { socketTimeoutMS: statementBoundMs };
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
    return this.#run(
      undefined,
      () => this.#db.command({ hello: 1 }, { session: this.#session, ...this.#socketBound() }),
      false,
      'hello',
    );
  }

  /**
   * Reads with `find`, projecting to `command.select` when given. MongoDB has no locking reads: a command
   * carrying a lock is refused with `UnsupportedError` (the core refuses it first, from the capabilities).
   */
  find(command: FindCommand): Promise<StoredRow[]> {
    // Only a read holding a relation filter takes the extra asynchronous step (the pre-queries); every
    // other read is sent exactly as before.
    if (hasRelationFilter(command.where))
      return this.#resolveRelations(command.entity, command.where).then((where) =>
        this.#find({ ...command, where }),
      );
    return this.#find(command);
  }

  async #find(command: FindCommand): Promise<StoredRow[]> {
    const { entity } = command;
    if (command.lock || command.forUpdate) throw new UnsupportedError('locking reads');
    const filter = compileFilter(command.where);
    const options = {
      ...this.#options(),
      sort: compileSort(command.orderBy),
      ...(command.select ? { projection: compileProjection(command.select) } : {}),
    };
    if (command.through) {
      const through = command.through;
      const pipeline = compileThrough(command, entity.name, filter);
      const joined = await this.#run(
        through.entity,
        () =>
          this.#collection(through.entity)
            .aggregate(pipeline, { ...this.#options(), allowDiskUse: true })
            .toArray(),
        true,
        'aggregate',
        [filter],
      );
      const key = through.entity.fields[through.fromKey]!;
      return joined.map((doc) => ({
        ...decodeDocument(entity, doc),
        [THROUGH_KEY]: decodeValue(key, doc[THROUGH_KEY]),
      }));
    }
    const docs = command.perGroup
      ? await this.#run(
          entity,
          () =>
            this.#collection(entity)
              .aggregate(compilePerGroup(command, filter), { ...this.#options(), allowDiskUse: true })
              .toArray(),
          true,
          'aggregate',
          [filter],
        )
      : await this.#run(
          entity,
          () =>
            this.#collection(entity)
              .find(filter, command.limit === undefined ? options : { ...options, limit: command.limit })
              .toArray(),
          true,
          'find',
          [filter],
        );
    return docs.map((doc) => decodeDocument(entity, doc, command.select));
  }

  /**
   * Relation filters (`exists`) as pre-queries: `find` cannot correlate two collections, so each relation
   * filter first reads the keys its inner filter matches (one `find` projected to the key, counted as a
   * statement like any other) and becomes an `$in` on them. Chosen over a `$lookup` pipeline because it
   * keeps every read a plain, index-using `find` (a `$lookup` would turn each into an aggregation over
   * the whole parent collection), and it behaves the same on every server berth talks to, the test
   * server included. Bounded by `RELATION_FILTER_MAX_KEYS` matching rows (see docs/relations.md).
   */
  #resolveRelations(entity: EntityMeta, where: Condition): Promise<Condition> {
    return resolveExists(entity, where, async (target, field, inner, limit) => {
      const rows = await this.#find({ entity: target, where: inner, orderBy: [], select: [field], limit });
      return rows.map((row) => row[field] as Scalar);
    });
  }

  /** Runs the `$group` pipeline of `compileAggregate`; see `decodeAggregateDocument` for the values. */
  aggregate(command: AggregateCommand): Promise<AggregateResultRow[]> {
    if (hasRelationFilter(command.where))
      return this.#resolveRelations(command.entity, command.where).then((where) =>
        this.#aggregate({ ...command, where }),
      );
    return this.#aggregate(command);
  }

  async #aggregate(command: AggregateCommand): Promise<AggregateResultRow[]> {
    const { entity } = command;
    const docs = await this.#run(
      entity,
      () => this.#collection(entity).aggregate(compileAggregate(command), this.#options()).toArray(),
      true,
    );
    if (docs.length === 0 && command.groupBy.length === 0) {
      const empty = emptyGroup(command);
      if (empty) docs.push(empty);
    }
    return docs.map((doc) => decodeAggregateDocument(command, doc));
  }

  count(command: CountCommand): Promise<number> {
    if (hasRelationFilter(command.where))
      return this.#resolveRelations(command.entity, command.where).then((where) =>
        this.#count({ ...command, where }),
      );
    return this.#count(command);
  }

  #count(command: CountCommand): Promise<number> {
    const filter = compileFilter(command.where);
    return this.#run(
      command.entity,
      () => this.#collection(command.entity).countDocuments(filter, this.#options()),
      true,
      'countDocuments',
      [filter],
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
    this.#writable();
    const docs = command.rows.map((row) => encodeDocument(entity, row));
    const write = () =>
      this.#run(
        entity,
        () => this.#collection(entity).insertMany(docs, { ...this.#options(), ordered: true }),
        true,
        'insert',
        docs,
      );
    if (docs.length === 1 || this.#inTransaction) {
      await this.#lone('an insert', write);
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
    this.#writable();
    const set = encodeSet(entity, command.set);
    const collection = this.#collection(entity);
    // A filter on one id can match one document at most: updateOne is a retryable write, which the
    // driver repeats exactly once on a new socket after a network error (updateMany is not).
    const one = targetsOneDocument(command.where);
    if (one) {
      const result = await this.#lone('an update', () =>
        this.#run(
          entity,
          () => collection.updateOne(filter, { $set: set }, this.#options()),
          true,
          'updateOne',
          [filter, set],
        ),
      );
      return result.matchedCount;
    }
    const result = await this.#multi('an updateMany', () =>
      this.#run(
        entity,
        () => collection.updateMany(filter, { $set: set }, this.#options()),
        true,
        'updateMany',
        [filter, set],
      ),
    );
    return result.matchedCount;
  }

  async delete(command: DeleteCommand): Promise<number> {
    this.#writable();
    const filter = compileFilter(command.where);
    const collection = this.#collection(command.entity);
    const one = targetsOneDocument(command.where);
    const run = (what: string, work: () => Promise<DeleteResult>) =>
      one ? this.#lone(what, work) : this.#multi(what, work);
    const result = await run(one ? 'a delete' : 'a deleteMany', () =>
      this.#run(
        command.entity,
        () =>
          one
            ? collection.deleteOne(filter, this.#options())
            : collection.deleteMany(filter, this.#options()),
        true,
        one ? 'deleteOne' : 'deleteMany',
        [filter],
      ),
    );
    return result.deletedCount;
  }

  /** One document changed and returned by `findOneAndUpdate` (see `mongo-writes.ts`). */
  modifyOne(command: ModifyCommand): Promise<StoredRow | undefined> {
    this.#writable();
    return modifyOne(this.#writeContext(), command);
  }

  /** Every matching document changed; bounded changes run in a transaction (see `mongo-writes.ts`). */
  modifyMany(command: ModifyCommand): Promise<ModifyManyResult> {
    this.#writable();
    return modifyMany(this.#writeContext(), command);
  }

  /** Insert-or-update by a unique key (see `mongo-writes.ts`). */
  upsert(command: UpsertCommand): Promise<UpsertOutcome[]> {
    this.#writable();
    return upsert(this.#writeContext(), command);
  }

  #writeContext(): MongoWriteContext {
    return {
      collection: (entity) => this.#collection(entity),
      options: () => this.#options(),
      // A write outside a transaction is its own commit: a lost reply makes its outcome unknown.
      run: (entity, work) => this.#lone('a write', () => this.#run(entity, work, true, 'write')),
      many: (entity, work) => this.#multi('an updateMany', () => this.#run(entity, work, true, 'write')),
      inTransaction: () => this.#inTransaction,
      transactions: this.#settings.transactions,
      begin: () => this.begin(),
      commit: () => this.commit(),
      rollback: () => this.rollback(),
    };
  }

  /**
   * Starts a transaction on the session: snapshot reads, majority writes. Nothing is sent until the
   * first command. `TransactionsUnsupportedError` on a standalone server.
   */
  async begin(options?: BeginOptions): Promise<void> {
    if (!this.#settings.transactions) throw new TransactionsUnsupportedError();
    if (this.#inTransaction)
      throw new DatabaseError('a MongoDB transaction is already in progress on this connection');
    checkMongoBeginOptions(options);
    this.#readOnly = options?.readOnly === true;
    const { statementTimeoutMs } = this.#settings;
    this.#session.startTransaction({
      // A transaction reads from the primary: the only member MongoDB runs transactions on, whatever
      // read preference the client has.
      readPreference: ReadPreference.primary,
      readConcern: { level: 'snapshot' },
      writeConcern: { w: 'majority' },
      ...(statementTimeoutMs === undefined ? {} : { maxCommitTimeMS: statementTimeoutMs }),
    });
    this.#inTransaction = true;
    // Nothing is sent: the first command carries `startTransaction`. Reported all the same, so a
    // transaction's events read begin, commands, commit on every backend.
    await this.#run(undefined, async () => undefined, false, 'startTransaction');
  }

  /**
   * Commits, retrying while the outcome is unknown (`UnknownTransactionCommitResult`: commits are
   * idempotent, so retrying is safe), except after MaxTimeMSExpired. A commit that reached the server and
   * still ends with that label (its time limit passed, its write concern failed, its reply was lost) is a
   * `CommitOutcomeUnknownError`: it may have been applied. A `TransientTransactionError` surfaces as the
   * retryable `TransactionConflictError`: nothing was committed and the caller can run the whole unit of
   * work again.
   */
  async commit(): Promise<void> {
    const session = this.#session;
    const commit = async () => {
      let kept: unknown;
      for (let attempt = 1; ; attempt++) {
        try {
          await session.commitTransaction();
          return;
        } catch (error) {
          // As the driver does between the attempts of one operation: a later attempt the server says
          // wrote nothing does not replace the error of an earlier one, whose outcome is what is unknown.
          if (kept === undefined || !noWritesPerformed(error)) kept = error;
          // MaxTimeMSExpired (50) is not tried again, as the driver's own `withTransaction` does not: the
          // next attempt carries the same limit, and the client-side bound spans every attempt, so it could
          // only end as a lost reply. It is an unknown outcome all the same (`unknownCommitResultError`).
          const unknown =
            error instanceof MongoError &&
            error.hasErrorLabel('UnknownTransactionCommitResult') &&
            (error as { code?: number }).code !== MAX_TIME_MS_EXPIRED;
          if (!unknown || attempt >= COMMIT_ATTEMPTS) throw kept;
        }
      }
    };
    const mark = markUnsent(session);
    const abandoned = this.#abandoned;
    try {
      // Bounded like a statement: a commit the server does not answer is lost, its outcome unknown.
      await this.#run(undefined, commit, true, 'commitTransaction');
    } catch (error) {
      const sent = this.#sentSince(mark, abandoned);
      throw unknownCommitResultError(lostMongoWriteError(error, 'the commitTransaction', sent), sent);
    } finally {
      // A failed commit ends the transaction too: the server has aborted it, or its outcome is lost.
      this.#inTransaction = false;
    }
  }

  /**
   * Aborts the transaction. Once the server has stopped answering (a client-side bound passed), nothing
   * is sent: the network may be dark, and `abortTransaction` has no bound of its own. The session is then
   * discarded, and ending it aborts the transaction on the server.
   */
  async rollback(): Promise<void> {
    if (!this.#inTransaction) return;
    if (this.#silent) {
      this.#inTransaction = false;
      return;
    }
    try {
      await this.#run(undefined, () => this.#session.abortTransaction(), false, 'abortTransaction');
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

  /**
   * With `timeoutMs` (the pool's validation bound), the ping is aborted a little after it (`PING_ABORT_MARGIN_MS`,
   * so the pool's own bound decides first), and the driver closes the socket it went out on (an abort during
   * a read closes the connection): a socket whose peer went silent does not stay checked out of the driver's
   * pool. (`db.command` drops a per-command `socketTimeoutMS`; an abort signal is what it honours.)
   */
  async ping(timeoutMs?: number): Promise<void> {
    if (timeoutMs === undefined) {
      await this.#run(
        undefined,
        () => this.#db.command({ ping: 1 }, { ...this.#outsideTransaction(), ...this.#socketBound() }),
        false,
        'ping',
      );
      return;
    }
    const abortMs = Math.ceil(timeoutMs) + PING_ABORT_MARGIN_MS;
    const signal = AbortSignal.timeout(abortMs);
    const ping = this.#db.command({ ping: 1 }, { ...this.#outsideTransaction(), signal });
    // The pool may give up first and destroy this connection: its session is ended once the ping settles.
    this.#abandoned = ping.then(
      () => undefined,
      () => undefined,
    );
    try {
      await ping;
    } catch (error) {
      this.#broken = true;
      if (!signal.aborted) throw mapMongoError(error);
      this.#silent = true;
      throw new ConnectionLostError(
        `the MongoDB server did not answer a ping on connection ${this.id} within ${abortMs} ms`,
        {
          cause: error,
        },
      );
    }
  }

  /**
   * Migration support on this connection (see `MongoMigrationDriver`). Its commands run on this
   * connection's session outside any transaction; writes are lone writes (a lost reply is an unknown
   * outcome).
   */
  migrations(options: MigrationOptions = {}): MigrationDriver {
    return new MongoMigrationDriver(
      {
        db: this.#db,
        session: this.#inTransaction ? undefined : this.#session,
        read: (command, work) => this.#run(undefined, work, false, command),
        write: (command, work) =>
          this.#lone('a migration write', () => this.#run(undefined, work, false, command)),
      },
      options.historyTable,
    );
  }

  /**
   * Creates each entity's collection explicitly, with the JSON-schema validator its fields call for (see
   * `entityValidation`; an existing collection and its validator are kept), and its indexes under their
   * berth names. `createIndexes` with an identical specification is a no-op, so running this again, or
   * from several processes at once, is safe without a lock; a same-named index with a different
   * specification fails with `DatabaseError` rather than being replaced.
   */
  async ensureSchema(entities: readonly EntityMeta[]): Promise<void> {
    // MongoDB has no counter to generate ids: refused before any collection is made.
    for (const entity of entities)
      if (hasGeneratedIds(entity))
        throw new UnsupportedFeatureError(
          'generated-ids',
          `${entity.name}: MongoDB has no database-generated ids; use field.id() or field.id({ strategy: 'supplied' })`,
        );
    const options = this.#outsideTransaction();
    for (const entity of entities) {
      await this.#run(
        entity,
        async () => {
          try {
            await this.#db.createCollection(entity.name, {
              ...options,
              ...validationOptions(entityValidation(entity)),
            });
          } catch (error) {
            if ((error as { code?: number }).code !== NAMESPACE_EXISTS) throw error;
          }
        },
        false,
        'createCollection',
      );
      if (entity.indexes.length === 0) continue;
      await this.#run(
        entity,
        () =>
          this.#collection(entity).createIndexes(
            entity.indexes.map((index) => indexSpec(entity, index)),
            options,
          ),
        false,
        'createIndexes',
      );
    }
  }

  /**
   * Ends the session (aborting any transaction server-side). Never throws. Once the server has stopped
   * answering it does not wait: ending a session in a transaction sends `abortTransaction`, which a dark
   * network would hold; and a session whose operation was given up on is ended only once the driver is
   * done with that operation, so its server session is never handed to another while still in use.
   */
  async end(): Promise<void> {
    this.#inTransaction = false;
    const ending = (this.#abandoned ?? Promise.resolve())
      .then(() => this.#session.endSession())
      .catch(() => undefined);
    if (!this.#silent) await ending;
  }
}
