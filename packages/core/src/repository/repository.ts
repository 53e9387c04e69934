import type { Capabilities } from '../driver/capabilities.js';
import type { FindCommand } from '../driver/commands.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import type { UpsertCommand, UpsertItem } from '../driver/write-commands.js';
import { parseUpdate } from '../entity/parse-update.js';
import type { UpdateOf } from '../entity/update-of.js';
import type { Entity, IdOf, InsertOf, QueryableField, RowOf } from '../entity/define-entity.js';
import { hasGeneratedIds } from '../id/id-strategy.js';
import { refuseGeneratedIdUpsert, refuseGeneratedIds } from '../id/refuse-generated-ids.js';
import { buildInsertRow } from '../entity/build-row.js';
import { validateValue } from '../entity/validate-value.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { OptimisticLockError } from '../errors/optimistic-lock-error.js';
import { TransactionsUnsupportedError } from '../errors/transactions-unsupported-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type {
  AggregateOptions,
  AggregateRow,
  NumericField,
  OrderedField,
} from '../query/aggregate/aggregate-options.js';
import { normalizeAggregate, shapeAggregateRows } from '../query/aggregate/normalize-aggregate.js';
import { type Condition, and } from '../query/condition.js';
import { normalizeWhere } from '../query/normalize-where.js';
import { parseOrderBy } from '../query/order-by.js';
import { refuseSparse } from '../query/sparse-array.js';
import { parseLock } from '../query/row-lock.js';
import { type Select, type Selected, parseSelect } from '../query/select.js';
import type { Where } from '../query/where.js';
import { runRead, type Scope } from '../transaction/scope.js';
import type { FindOptions, ReadOptions, StreamOptions, WriteOptions } from './find-options.js';
import type { Page } from './page.js';
import { updateById } from './update-by-id.js';
import {
  type UpsertArgs,
  type UpsertManyOptions,
  type UpsertResult,
  upsertItem,
  upsertItems,
} from './upsert-args.js';
import { setWhere, updateWhere } from './write-many.js';
import { checkLimit, readPage } from './read-page.js';
import type { StoredRow } from '../driver/commands.js';
import type { Include, WithIncluded } from '../relation/include-types.js';
import type { IncludeNode } from '../relation/loader/include-plan.js';
import { type TrackRow, UNTRACKED, loadRelations } from '../relation/loader/load-relations.js';
import { planRead } from '../relation/loader/plan-read.js';
import { streamRows } from './stream-rows.js';

export function idCondition(id: RowId): Condition {
  return { type: 'compare', field: 'id', op: 'eq', value: id };
}

export function versionedCondition(entity: Entity, id: RowId, version: number | undefined): Condition {
  if (!entity.versionField || version === undefined) return idCondition(id);
  return and(idCondition(id), { type: 'compare', field: entity.versionField, op: 'eq', value: version });
}

/** A row's id as the repository takes it: a string, or a number for database-generated ids. */
type RowId = string | number;

export function checkId(entity: Entity, id: unknown): RowId {
  if (hasGeneratedIds(entity)) {
    if (typeof id !== 'number' || Number.isNaN(id))
      throw new ValidationError(`${entity.name} id must be a number`, [
        { field: 'id', message: 'must be a number' },
      ]);
    return id;
  }
  if (typeof id !== 'string')
    throw new ValidationError(`${entity.name} id must be a string`, [
      { field: 'id', message: 'must be a string' },
    ]);
  return id;
}

/**
 * True when no stored row can have this id (a NUL character, longer than the id column, not a positive
 * safe integer): such an id is answered without asking the database, which would refuse the value itself
 * (PostgreSQL rejects NUL, and an integer column a fraction).
 */
export function namesNothing(entity: Entity, id: RowId): boolean {
  const meta = entity.fields.id;
  if (meta === undefined) return false;
  if (typeof id === 'number') return validateValue('id', meta, id) !== undefined;
  // The common case, an ordinary id, is settled without the full validator: it is on every findById.
  if (id.length <= (meta.max ?? 0) && id.length >= (meta.min ?? 0) && !id.includes('\u0000')) return false;
  return validateValue('id', meta, id) !== undefined;
}

/** The order of a read by id (one row): shared, as no compiler changes it. */
const BY_ID: FindCommand['orderBy'] = Object.freeze([
  Object.freeze({ field: 'id', direction: 'asc' as const }),
]);

/** `findById`'s options when none are given: shared and frozen, not a new object per call. */
const NO_OPTIONS = Object.freeze({});

/**
 * Loads planned relations onto rows already read, on one connection of `scope` (see `loadRelations`).
 * `track` gives the object each row should be (a unit of work's identity map).
 */
export async function loadIncluded(
  scope: Scope,
  rows: readonly StoredRow[],
  plan: readonly IncludeNode[],
  track: TrackRow = UNTRACKED,
): Promise<void> {
  if (rows.length === 0) return;
  await runRead(scope, (c) => loadRelations(c, rows, plan, track));
}

/** What `readPage` runs after the read, on its connection, to load planned relations; none without a plan. */
function loadOn(
  plan: readonly IncludeNode[] | undefined,
): ((connection: DriverConnection, rows: StoredRow[]) => Promise<void>) | undefined {
  return plan && ((connection, rows) => loadRelations(connection, rows, plan, UNTRACKED));
}

/**
 * CRUD, filters, sorting and keyset pagination for one entity. Each call runs on its scope: outside a
 * transaction it takes a connection for the call and gives it back; inside one it uses the pinned
 * connection. Every write validates its input against the entity definition first.
 */
export class Repository<E extends Entity> {
  constructor(
    /** The entity this repository reads and writes. */
    readonly entity: E,
    /** @internal Where the repository's statements run (the pool, or a transaction's connection). */
    readonly scope: () => Scope,
    /**
     * What the backend can do; the repository refuses what it cannot (generated ids on MongoDB, locking reads) before
     * sending anything.
     */
    readonly capabilities: Capabilities,
  ) {
    refuseGeneratedIds(entity, capabilities);
  }

  /**
   * The row with this id, or null. Any string is a valid question: an id that names nothing gives null.
   * `select` reads only some fields; `lock` locks the row until the transaction ends.
   */
  async findById<S extends Select<E> | undefined = undefined, I extends Include<E> | undefined = undefined>(
    id: IdOf<E>,
    options: ReadOptions<E, S, I> = NO_OPTIONS,
  ): Promise<WithIncluded<Selected<E, S>, E, I> | null> {
    const key = checkId(this.entity, id);
    const scope = this.scope();
    const select = parseSelect(this.entity, options.select);
    const lock = parseLock(options.lock, this.capabilities, scope.inTransaction);
    const plan = options.include === undefined ? undefined : planRead(this.entity, options);
    if (namesNothing(this.entity, key)) return null;
    // A locking read stays on the transaction; any other may be served by a replica (`Scope.reads`).
    const target = lock ? scope : (scope.reads ?? scope);
    // The plain read (no select, no lock) without spreads: it is the most frequent command of all.
    const command: FindCommand =
      select === undefined && lock === undefined
        ? { entity: this.entity, where: idCondition(key), orderBy: BY_ID, limit: 1 }
        : {
            entity: this.entity,
            where: idCondition(key),
            orderBy: BY_ID,
            limit: 1,
            ...(select ? { select } : {}),
            ...(lock ? { lock, forUpdate: lock.mode === 'forUpdate' } : {}),
          };
    const load = loadOn(plan);
    // The relations load on the row's connection: one acquire for the row and its relations.
    const read = !load
      ? (c: DriverConnection) => c.find(command)
      : async (c: DriverConnection) => {
          const found = await c.find(command);
          if (found.length > 0) await load(c, found);
          return found;
        };
    const rows = await (lock ? target.run(read) : runRead(target, read));
    return (rows[0] as WithIncluded<Selected<E, S>, E, I> | undefined) ?? null;
  }

  /** The row with this id, or `NotFoundError`. */
  async getById<S extends Select<E> | undefined = undefined, I extends Include<E> | undefined = undefined>(
    id: IdOf<E>,
    options: ReadOptions<E, S, I> = {},
  ): Promise<WithIncluded<Selected<E, S>, E, I>> {
    const row = await this.findById<S, I>(id, options);
    if (!row) throw new NotFoundError(this.entity.name, id as RowId);
    return row;
  }

  /** The first row matching `where` in the given order, or null. */
  async findOne<S extends Select<E> | undefined = undefined, I extends Include<E> | undefined = undefined>(
    where?: Where<E>,
    orderBy?: FindOptions<E>['orderBy'],
    options: ReadOptions<E, S, I> = {},
  ): Promise<WithIncluded<Selected<E, S>, E, I> | null> {
    const scope = this.#readScope(options.lock);
    const plan = options.include === undefined ? undefined : planRead(this.entity, options);
    const page = await readPage(
      this.entity,
      scope,
      this.capabilities,
      { ...options, where, orderBy, limit: 1 },
      loadOn(plan),
    );
    return (page.items[0] as WithIncluded<Selected<E, S>, E, I> | undefined) ?? null;
  }

  /**
   * A page of rows by keyset pagination: following `nextCursor` from the first page to the last yields
   * every matching row exactly once, in order, even while rows are inserted elsewhere in the order.
   * Without `limit`, at most `MAX_UNBOUNDED_ROWS` rows (more raise `TooManyRowsError`) unless `limit: 'all'`.
   */
  async find<S extends Select<E> | undefined = undefined, I extends Include<E> | undefined = undefined>(
    options: FindOptions<E, S, I> = {},
  ): Promise<Page<WithIncluded<Selected<E, S>, E, I>>> {
    const scope = this.#readScope(options.lock);
    if (options.include === undefined)
      return (await readPage(this.entity, scope, this.capabilities, options)) as Page<
        WithIncluded<Selected<E, S>, E, I>
      >;
    const plan = planRead(this.entity, options);
    const page = await readPage(this.entity, scope, this.capabilities, options, loadOn(plan));
    return page as Page<WithIncluded<Selected<E, S>, E, I>>;
  }

  /**
   * Every matching row, in order, read in keyset batches of `batchSize`: memory holds one batch, and no
   * connection is held between batches (inside a transaction each batch runs on its pinned connection).
   * Leaving the loop early (`break`, `return`, a throw) stops the reads; nothing is left open. With
   * `include`, each batch's relations are loaded before its rows are yielded, batched like `find`'s. Options
   * are validated at once, before any row is read.
   */
  stream<S extends Select<E> | undefined = undefined, I extends Include<E> | undefined = undefined>(
    options: StreamOptions<E, S, I> = {},
  ): AsyncGenerator<WithIncluded<Selected<E, S>, E, I>, void, undefined> {
    const { batchSize, include: _include, ...read } = options;
    checkLimit(batchSize, 'batchSize', false);
    parseOrderBy(this.entity, read.orderBy);
    parseSelect(this.entity, read.select);
    normalizeWhere(this.entity, read.where);
    const plan = options.include === undefined ? undefined : planRead(this.entity, options);
    return streamRows(batchSize, async (limit, cursor) => {
      // Each batch's relations are read on the batch's connection, right after its rows: the batch's
      // statements are done before its first row is yielded, so nothing is held while the caller works.
      const scope = this.#readScope();
      return readPage(this.entity, scope, this.capabilities, { ...read, limit, cursor }, loadOn(plan));
    }) as AsyncGenerator<WithIncluded<Selected<E, S>, E, I>, void, undefined>;
  }

  /**
   * Groups the matching rows and computes counts, sums, averages, minimums and maximums per group, in one
   * statement. Every name is checked against the entity first (`ValidationError`). See docs/queries.md.
   */
  async aggregate<
    G extends QueryableField<E> = never,
    C extends boolean = false,
    Su extends NumericField<E> = never,
    Av extends NumericField<E> = never,
    Mi extends OrderedField<E> = never,
    Ma extends OrderedField<E> = never,
  >(options: AggregateOptions<E, G, C, Su, Av, Mi, Ma>): Promise<AggregateRow<E, G, C, Su, Av, Mi, Ma>[]> {
    const command = normalizeAggregate(this.entity, options);
    const rows = await runRead(this.#readScope(), (c) => c.aggregate(command));
    return shapeAggregateRows(command, rows) as AggregateRow<E, G, C, Su, Av, Mi, Ma>[];
  }

  /** Counts the rows matching `where` (all rows without it); routed like any other read. */
  async count(where?: Where<E>): Promise<number> {
    const condition = normalizeWhere(this.entity, where);
    return runRead(this.#readScope(), (c) => c.count({ entity: this.entity, where: condition }));
  }

  /** Where a read runs: a replica when the scope routes reads and the read locks nothing (see `Scope.reads`). */
  #readScope(lock?: unknown): Scope {
    const scope = this.scope();
    return lock ? scope : (scope.reads ?? scope);
  }

  /**
   * Inserts one row; returns it as stored, with its id (made by berth, supplied, or generated by the
   * database and read back in the same statement), version 1 and timestamps.
   */
  async insert(data: InsertOf<E>): Promise<RowOf<E>> {
    const row = buildInsertRow(this.entity, data, new Date());
    await this.scope().run((c) => c.insert({ entity: this.entity, rows: [row] }));
    return row as RowOf<E>;
  }

  /**
   * Inserts many rows in as few statements as the backend allows, all or nothing: in one transaction
   * (or the current one). Every row is validated before anything is sent.
   */
  async insertMany(data: readonly InsertOf<E>[]): Promise<RowOf<E>[]> {
    if (!Array.isArray(data)) throw new ValidationError('insertMany takes an array');
    refuseSparse(data, 'insertMany');
    const now = new Date();
    const rows = data.map((item) => buildInsertRow(this.entity, item, now));
    if (rows.length === 0) return [];
    const scope = this.scope();
    const write = (s: Scope) => s.run((c) => c.insert({ entity: this.entity, rows }));
    if (rows.length === 1 || scope.inTransaction) await write(scope);
    else if (!this.capabilities.transactions) throw new TransactionsUnsupportedError();
    else await scope.transaction(write);
    return rows as RowOf<E>[];
  }

  /**
   * Changes some fields of one row and bumps its version, atomically: the write is conditional on the
   * version read, so two writers never both succeed from the same version. With `expectedVersion`, a
   * different stored version fails with `OptimisticLockError`; without it, a lost race is retried on the
   * new version. A patch that changes nothing writes nothing and returns the row as it is. Numeric fields
   * take atomic operators (`{ stock: { decrement: 1 } }`), computed and bounds-checked by the database;
   * a result outside the field's range fails with `OutOfBoundsError`. Where the backend returns written
   * rows (`capabilities.returning`) the success path is one statement.
   */
  async update(id: IdOf<E>, patch: UpdateOf<E>, options: WriteOptions = {}): Promise<RowOf<E>> {
    const key = checkId(this.entity, id);
    const change = parseUpdate(this.entity, patch);
    const expectedVersion = this.#expectedVersion(options);
    if (namesNothing(this.entity, key)) throw new NotFoundError(this.entity.name, key);
    const { returning } = this.capabilities;
    const request = { entity: this.entity, id: key, change, expectedVersion, returning };
    return (await this.scope().run((c) => updateById(c, request))) as RowOf<E>;
  }

  /** Deletes one row. `NotFoundError` when it does not exist; `OptimisticLockError` on a version mismatch. */
  async delete(id: IdOf<E>, options: WriteOptions = {}): Promise<void> {
    const key = checkId(this.entity, id);
    const expected = this.#expectedVersion(options);
    if (namesNothing(this.entity, key)) throw new NotFoundError(this.entity.name, key);
    // Not an async callback: the one DELETE is the whole of a delete that finds its row.
    await this.scope().run((c) =>
      c
        .delete({ entity: this.entity, where: versionedCondition(this.entity, key, expected) })
        .then((deleted) => (deleted > 0 ? undefined : this.#whyNotDeleted(c, key, expected))),
    );
  }

  /** Why a delete by id matched no row: `NotFoundError`, or `OptimisticLockError` with the stored version. */
  async #whyNotDeleted(c: DriverConnection, key: RowId, expected: number | undefined): Promise<never> {
    if (expected === undefined) throw new NotFoundError(this.entity.name, key);
    const rows = await c.find({
      entity: this.entity,
      where: idCondition(key),
      orderBy: [{ field: 'id', direction: 'asc' }],
      limit: 1,
    });
    if (!rows[0]) throw new NotFoundError(this.entity.name, key);
    throw new OptimisticLockError(
      this.entity.name,
      key,
      expected,
      rows[0][this.entity.versionField!] as number,
    );
  }

  /**
   * Changes every row matching `where` (required; `{}` means every row) in one statement, or one
   * transaction where the backend needs it; joins the current transaction. The patch is validated as
   * `update`'s and may use numeric operators; every row changed gets version +1 and a new `updatedAt`.
   * All or nothing: if an operator would take any matching row out of its bounds, nothing is written and
   * `OutOfBoundsError` is thrown. Resolves to the number of rows changed.
   */
  async updateMany(where: Where<E>, patch: UpdateOf<E>): Promise<number> {
    const condition = setWhere(this.entity, where, 'updateMany');
    const change = parseUpdate(this.entity, patch);
    return this.scope().run((c) => updateWhere(c, this.entity, condition, change));
  }

  /** Deletes every row matching `where` (required; `{}` means every row) in one statement; resolves to the count. */
  async deleteMany(where: Where<E>): Promise<number> {
    const condition = setWhere(this.entity, where, 'deleteMany');
    return this.scope().run((c) => c.delete({ entity: this.entity, where: condition }));
  }

  /**
   * Inserts `create`, or, when a row with the same unique key (`where`: exactly the fields of one unique
   * field or unique index) exists, applies `update` to it (version +1, `updatedAt` set). Atomic on every
   * backend. Resolves to the row as stored and whether it was created (version 1) or changed.
   */
  async upsert(args: UpsertArgs<E>): Promise<UpsertResult<RowOf<E>>> {
    refuseGeneratedIdUpsert(this.entity);
    const { key, item } = upsertItem(this.entity, args, new Date());
    const outcomes = await this.scope().run((c) => c.upsert(this.#upsertCommand(key, [item])));
    return outcomes[0] as UpsertResult<RowOf<E>>;
  }

  /**
   * Upserts many rows by one unique key (`options.on`), all or nothing: in chunks of one statement each
   * on SQL, one bulk write on MongoDB, inside one transaction (or the current one). Results are in the
   * order of `rows`. Two rows with the same key in one call are refused.
   */
  async upsertMany(
    rows: readonly InsertOf<E>[],
    options: UpsertManyOptions<E>,
  ): Promise<UpsertResult<RowOf<E>>[]> {
    refuseGeneratedIdUpsert(this.entity);
    const { key, items } = upsertItems(this.entity, rows, options, new Date());
    if (items.length === 0) return [];
    if (items.length > 1 && !this.capabilities.transactions && !this.scope().inTransaction)
      throw new TransactionsUnsupportedError();
    const outcomes = await this.scope().run((c) => c.upsert(this.#upsertCommand(key, items)));
    return outcomes as UpsertResult<RowOf<E>>[];
  }

  #upsertCommand(key: readonly string[], items: UpsertItem[]): UpsertCommand {
    const { updatedAtField, versionField } = this.entity;
    const stamp = updatedAtField ? { [updatedAtField]: items[0]!.insert[updatedAtField] } : {};
    return { entity: this.entity, key, items, stamp, bump: versionField };
  }

  #expectedVersion(options: WriteOptions): number | undefined {
    const { expectedVersion } = options;
    if (expectedVersion === undefined) return undefined;
    if (!this.entity.versionField) throw new ValidationError(`${this.entity.name} has no version field`);
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 1) {
      throw new ValidationError('expectedVersion must be a positive integer', [
        { field: 'version', message: 'invalid' },
      ]);
    }
    return expectedVersion;
  }
}
