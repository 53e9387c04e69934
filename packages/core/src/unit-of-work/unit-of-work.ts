import type { TransactionWrappers } from '../transaction/transaction-wrappers.js';
import type { Capabilities } from '../driver/capabilities.js';
import type { StoredRow } from '../driver/commands.js';
import type { Entity, IdOf, RowOf } from '../entity/define-entity.js';
import { persistsAlone, planPersist, planRow } from '../relation/cascade/plan-persist.js';
import type { PersistGraph } from '../relation/cascade/persist-graph-types.js';
import { ConcurrentFlushError } from '../errors/concurrent-flush-error.js';
import { OptimisticLockError } from '../errors/optimistic-lock-error.js';
import { TransactionsUnsupportedError } from '../errors/transactions-unsupported-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { or } from '../query/condition.js';
import type { FindOptions } from '../repository/find-options.js';
import type { Page } from '../repository/page.js';
import { Repository, checkId, loadIncluded, versionedCondition } from '../repository/repository.js';
import { ByIdLoader } from '../batching/by-id-loader.js';
import { readByIds } from '../batching/read-by-ids.js';
import type { ExactInclude, Include, LoadedRow } from '../relation/include-types.js';
import type { TrackRow } from '../relation/loader/load-relations.js';
import { planRead } from '../relation/loader/plan-read.js';
import type { Where } from '../query/where.js';
import type { Scope } from '../transaction/scope.js';
import { type ChangeSet, type RowUpdate, computeChangeSet, countChanges } from './change-set.js';
import { cascadeRemoves, hasCascadingRemoves } from './cascade-removes.js';
import { commitOrder } from './commit-order.js';
import { IdentityMap, type TrackedRow } from './identity-map.js';
import { idStrategyOf } from '../id/id-strategy.js';
import { snapshot } from './snapshot.js';
import { copyValue } from '../entity/row-shape.js';
import { type UpdatePhases, updatePhases } from './update-order.js';

/** Rows per DELETE statement: bounds the statement's size and bound parameters. */
const DELETE_CHUNK = 500;

/** The entities' order in a flush: inserts after what they reference, deletes before. */
interface WriteOrder {
  readonly insertOrder: readonly Entity[];
  readonly deleteOrder: readonly Entity[];
  readonly updates: UpdatePhases;
}

/** Inserts after what they reference, deletes before; a reference cycle refused with `ValidationError`. */
function writeOrder(changes: ChangeSet): WriteOrder {
  return {
    insertOrder: commitOrder([...changes.inserts.keys()]),
    deleteOrder: commitOrder([...changes.deletes.keys()]).reverse(),
    updates: updatePhases(changes),
  };
}

/** How many rows a change set inserts, updates and deletes (for flush wrappers). */
function flushInfo(changes: ChangeSet): { inserts: number; updates: number; deletes: number } {
  let inserts = 0;
  let deletes = 0;
  for (const rows of changes.inserts.values()) inserts += rows.length;
  for (const rows of changes.deletes.values()) deletes += rows.length;
  return { inserts, updates: changes.updates.length, deletes };
}

/** What a flush wrote. */
export interface FlushResult {
  /** Rows inserted (persisted new entities, cascaded children included). */
  readonly inserted: number;
  /** Rows updated: tracked rows with at least one changed field (unchanged rows are not written). */
  readonly updated: number;
  /** Rows deleted (removed entities, and children removed by a `cascade: ['remove']` relation). */
  readonly deleted: number;
}

/**
 * A unit of work: the rows one request reads and changes, written together by `flush()`.
 *
 * - **Identity map**: a row read twice is the same object.
 * - **Change tracking**: rows read through it are snapshotted; `flush()` writes only the fields that
 *   changed, each update conditional on the version read (a stale row raises `OptimisticLockError`).
 * - **Dependency order**: inserts run parents before children (by `belongsTo` references), deletes
 *   children before parents; a reference cycle is refused with `ValidationError` (see `commitOrder`).
 * - **One transaction**: `flush()` writes deletes, then updates, then inserts (multi-row, chunked) in one
 *   transaction on one connection, or in a savepoint of the current transaction. On any error nothing of
 *   the flush is written and the unit of work keeps its pending changes.
 * - **No-op flush**: with nothing to write, `flush()` takes no connection.
 * - **One flush at a time**: `flush()` while an earlier flush runs rejects with `ConcurrentFlushError`.
 *
 * Make one per request (`db.unitOfWork()`); it is not meant to be shared between concurrent requests.
 */
export class UnitOfWork {
  readonly #map = new IdentityMap();
  readonly #scope: () => Scope;
  readonly #capabilities: Capabilities;
  /** Whether a flush is running: a second one is refused with `ConcurrentFlushError` until it settles. */
  #flushing = false;
  /**
   * Whether `remove` has been called since the last `clear`: only then can a flush have children to remove
   * first, and only then is every tracked row looked at for that (a bulk flush tracks thousands, none removed).
   */
  #removing = false;
  readonly #wrappers: TransactionWrappers | undefined;

  constructor(scope: () => Scope, capabilities: Capabilities, wrappers?: TransactionWrappers) {
    this.#scope = scope;
    this.#capabilities = capabilities;
    this.#wrappers = wrappers;
  }

  #track<E extends Entity>(entity: E, row: StoredRow): RowOf<E> {
    const known = this.#map.get(entity, row.id as string);
    if (known) return known.row as RowOf<E>;
    this.#map.add({ entity, row, snapshot: snapshot(entity, row), state: 'managed' });
    return row as RowOf<E>;
  }

  /** Related rows go through the identity map too: a row loaded twice, by any path, is one object. */
  readonly #trackRelated: TrackRow = (entity, row) => this.#track(entity as Entity, row) as StoredRow;

  #repository<E extends Entity>(entity: E): Repository<E> {
    return new Repository(entity, this.#scope, this.#capabilities);
  }

  /**
   * A `findById` batcher through this unit of work (see `ByIdLoader`): `load(id)` calls of one tick become
   * one `IN` read of the ids not already in the identity map; rows come back tracked, the same objects
   * `findById` gives; a row removed here reads as null.
   */
  loader<E extends Entity>(entity: E): ByIdLoader<E> {
    const repository = this.#repository(entity);
    const read = async (ids: readonly (string | number)[]) => {
      const rows: RowOf<E>[] = [];
      const missing: (string | number)[] = [];
      for (const id of ids) {
        const known = this.#map.get(entity, id);
        if (!known) missing.push(id);
        else if (known.state !== 'removed') rows.push(known.row as RowOf<E>);
      }
      if (missing.length > 0)
        for (const row of await readByIds(repository, missing))
          rows.push(this.#track(entity, row as StoredRow));
      return rows;
    };
    return new ByIdLoader(entity, read, (id) => checkId(entity, id));
  }

  /**
   * Reads a row, from the identity map when already loaded. A row removed in this unit of work reads as null.
   * `include` loads relations (see `FindOptions.include`); related rows join the identity map.
   */
  async findById<E extends Entity, I extends Include<E> | undefined = undefined>(
    entity: E,
    id: IdOf<E>,
    options: { include?: ExactInclude<E, I> } = {},
  ): Promise<LoadedRow<E, I> | null> {
    const plan = planRead(entity, options);
    const known = this.#map.get(entity, id as string | number);
    let row: StoredRow | null;
    if (known) row = known.state === 'removed' ? null : known.row;
    else {
      const read = await this.#repository(entity).findById(id);
      row = read ? this.#track(entity, read) : null;
    }
    if (plan && row) await loadIncluded(this.#scope(), [row], plan, this.#trackRelated);
    return row as LoadedRow<E, I> | null;
  }

  /**
   * Like `Repository.find`; rows already loaded come back as the same objects. `select` is refused with
   * `ValidationError`: a partial row cannot be change-tracked (its missing fields would read as changes).
   */
  async find<E extends Entity, I extends Include<E> | undefined = undefined>(
    entity: E,
    options: FindOptions<E, undefined, I> = {},
  ): Promise<Page<LoadedRow<E, I>>> {
    if ((options as { select?: unknown }).select !== undefined) {
      throw new ValidationError('a unit of work tracks whole rows: select is not available here', [
        { field: 'select', message: 'not available in a unit of work' },
      ]);
    }
    const plan = planRead(entity, options);
    const { include: _include, ...read } = options;
    const page = await this.#repository(entity).find(read as FindOptions<E>);
    const items = page.items.map((row) => this.#track(entity, row));
    if (plan) await loadIncluded(this.#scope(), items, plan, this.#trackRelated);
    return { items: items as LoadedRow<E, I>[], nextCursor: page.nextCursor };
  }

  /** The first row matching `where`, through the identity map; `options.include` as for `find`. */
  async findOne<E extends Entity, I extends Include<E> | undefined = undefined>(
    entity: E,
    where?: Where<E>,
    orderBy?: FindOptions<E>['orderBy'],
    options: { include?: ExactInclude<E, I> } = {},
  ): Promise<LoadedRow<E, I> | null> {
    const plan = planRead(entity, options);
    const read = await this.#repository(entity).findOne(where, orderBy);
    const row = read ? this.#track(entity, read) : null;
    if (plan && row) await loadIncluded(this.#scope(), [row], plan, this.#trackRelated);
    return row as LoadedRow<E, I> | null;
  }

  /**
   * Schedules an insert and returns the new row (id, version and timestamps already set). Under the name of
   * a relation declaring `cascade: ['persist']`, `data` may hold new related rows (an object for
   * `belongsTo` / `hasOne`, an array for `hasMany`, to any depth): they are persisted too, foreign keys
   * filled in, and inserted in dependency order by the flush. Every row is validated before any is
   * scheduled: a `ValidationError` leaves nothing persisted.
   */
  persist<E extends Entity>(entity: E, data: PersistGraph<E>): RowOf<E> {
    const now = new Date();
    if (persistsAlone(entity)) {
      // No relation to cascade through: one row, without planning a graph (a bulk persists thousands).
      const row = planRow(entity, data, now);
      this.#scheduleInsert(entity, row);
      return row as RowOf<E>;
    }
    const { root, rows } = planPersist(entity, data, now);
    for (const { entity: target, row } of rows) this.#scheduleInsert(target as Entity, row);
    return root as RowOf<E>;
  }

  #scheduleInsert(entity: Entity, row: StoredRow): void {
    const tracked: TrackedRow = {
      entity,
      row,
      snapshot: undefined,
      state: 'new',
      validated: snapshot(entity, row),
      inserting: false,
    };
    // A UUIDv7 just made here is held by no tracked row: no lookup before it is indexed can miss it.
    if (idStrategyOf(entity.fields.id) === 'uuidv7') this.#map.addFresh(tracked);
    else this.#map.add(tracked);
  }

  /**
   * Schedules a delete of a row read through this unit of work (or any row with its id and version). Its
   * children through relations declaring `cascade: ['remove']` are removed with it at the next flush (read
   * then, in the flush's transaction, one batched query per relation per level; deleted before it).
   */
  remove<E extends Entity>(entity: E, row: RowOf<E>): void {
    const id = (row as StoredRow).id;
    if (typeof id !== 'string' && typeof id !== 'number')
      throw new ValidationError(`remove needs a ${entity.name} with an id`);
    this.#removing = true;
    const known = this.#map.get(entity, id);
    if (known?.state === 'new' && !known.inserting) {
      this.#map.delete(entity, id);
      return;
    }
    if (known) {
      known.state = 'removed';
      return;
    }
    const stored = row as StoredRow;
    this.#map.add({ entity, row: stored, snapshot: snapshot(entity, stored), state: 'removed' });
  }

  /** Rows known to this unit of work. */
  get size(): number {
    return this.#map.size;
  }

  /** Forgets every row and pending change. */
  clear(): void {
    this.#map.clear();
    this.#removing = false;
  }

  /**
   * Writes every pending change in one transaction; see the class comment for the guarantees.
   *
   * The changes written are those made before the call: the change set is copied then. Changes made to
   * the rows while the flush is in flight are kept for the next flush (the snapshot records what was
   * written, not the object after the write), and the flush never overwrites them. A call made while
   * another flush of this unit of work runs is refused: it rejects with `ConcurrentFlushError`, writes
   * nothing and keeps every pending change for a flush made after the running one settles. Refusing, not
   * queueing: two code paths that flush one unit of work at once share it without coordinating, which is a
   * bug to surface, and a queued flush could wait forever on a nested transaction that the first flush's
   * transaction waits for.
   */
  flush(): Promise<FlushResult> {
    if (this.#flushing) return Promise.reject(new ConcurrentFlushError());
    this.#flushing = true;
    return this.#flushNow().finally(() => {
      this.#flushing = false;
    });
  }

  /** One flush; the change set is computed synchronously, before the first await. */
  async #flushNow(): Promise<FlushResult> {
    if (this.#removing && hasCascadingRemoves(this.#map)) return this.#flushCascading();
    const changes = computeChangeSet(this.#map, new Date());
    if (changes.size === 0) return { inserted: 0, updated: 0, deleted: 0 };
    // Ordered (and a reference cycle refused) before a connection is taken.
    const order = writeOrder(changes);
    return this.#attempt(changes, async () => {
      const scope = this.#scope();
      const write = (s: Scope) => this.#write(s, changes, order);
      const writeAll = async () => {
        if (scope.inTransaction || this.#capabilities.transactions) await scope.transaction(write);
        else if (changes.size === 1) await write(scope);
        else
          throw new TransactionsUnsupportedError(
            `this database deployment does not support transactions, so a flush of ${changes.size} changes cannot be atomic; nothing was written`,
          );
      };
      await (this.#wrappers ? this.#wrappers.flush(flushInfo(changes), writeAll) : writeAll());
    });
  }

  /**
   * A flush removing rows whose relations cascade remove: in one transaction, the children are read (one
   * query per relation per level) and marked removed, then the change set is computed and written. On any
   * error the identity map is put back as it was, so the pending changes stay the caller's.
   */
  async #flushCascading(): Promise<FlushResult> {
    const scope = this.#scope();
    if (!scope.inTransaction && !this.#capabilities.transactions)
      throw new TransactionsUnsupportedError(
        'this database deployment does not support transactions, so a cascading remove cannot be atomic; nothing was written',
      );
    let undo: (() => void) | undefined;
    let changes: ChangeSet | undefined;
    try {
      const writeAll = () =>
        scope.transaction(async (s) => {
          undo = await cascadeRemoves(this.#map, s);
          changes = computeChangeSet(this.#map, new Date());
          const order = writeOrder(changes);
          this.#inFlight(changes, true);
          await this.#write(s, changes, order);
        });
      // The wrapper is told the rows scheduled before the cascade: the children it removes are read in the
      // flush's own transaction, after the wrapper has started.
      if (this.#wrappers) await this.#wrappers.flush(countChanges(this.#map), writeAll);
      else await writeAll();
      // Applied once the transaction has committed, not when its last statement ran.
      return this.#applied(changes!);
    } catch (error) {
      if (changes) this.#forgetUnstored(changes);
      undo?.();
      throw error;
    } finally {
      if (changes) this.#inFlight(changes, false);
    }
  }

  /** Runs `write` for `changes` with the new rows marked in flight; applies the outcome on success. */
  async #attempt(changes: ChangeSet, write: () => Promise<void>): Promise<FlushResult> {
    this.#inFlight(changes, true);
    try {
      await write();
      return this.#applied(changes);
    } catch (error) {
      this.#forgetUnstored(changes);
      throw error;
    } finally {
      this.#inFlight(changes, false);
    }
  }

  /** Marks (or unmarks) the rows `changes` inserts as in flight: removing one then deletes it later. */
  #inFlight(changes: ChangeSet, on: boolean): void {
    for (const rows of changes.inserts.values()) for (const insert of rows) insert.tracked.inserting = on;
  }

  /** After a failed write: rows removed while their insert was in flight were never stored; forget them. */
  #forgetUnstored(changes: ChangeSet): void {
    for (const rows of changes.inserts.values())
      for (const { tracked } of rows)
        if (tracked.state === 'removed') this.#map.delete(tracked.entity, tracked.row.id as string);
  }

  async #write(scope: Scope, changes: ChangeSet, order: WriteOrder): Promise<void> {
    // Deletes first, so a unique value freed by a delete can be reused by an update or insert in the same
    // flush; children before the rows they reference (the reverse of the commit order), inserts after them.
    const { insertOrder, deleteOrder } = order;
    for (const entity of deleteOrder) {
      const rows = changes.deletes.get(entity)!;
      for (let i = 0; i < rows.length; i += DELETE_CHUNK) {
        const chunk = rows.slice(i, i + DELETE_CHUNK);
        const where = or(...chunk.map((d) => versionedCondition(entity, d.id, d.version)));
        const deleted = await scope.run((c) => c.delete({ entity, where }));
        if (deleted !== chunk.length) {
          throw new OptimisticLockError(
            entity.name,
            chunk[0]!.id,
            chunk.length === 1 ? chunk[0]!.version : undefined,
          );
        }
      }
    }
    await this.#update(scope, order.updates.beforeInserts);
    for (const entity of insertOrder) {
      const rows = changes.inserts.get(entity)!.map((i) => i.row);
      await scope.run((c) => c.insert({ entity, rows }));
    }
    // Updates pointing a foreign key at a row inserted above (see `updatePhases`).
    await this.#update(scope, order.updates.afterInserts);
  }

  async #update(scope: Scope, updates: readonly RowUpdate[]): Promise<void> {
    for (const update of updates) {
      const { entity } = update.tracked;
      const matched = await scope.run((c) =>
        c.update({ entity, where: versionedCondition(entity, update.id, update.version), set: update.set }),
      );
      if (matched !== 1) throw new OptimisticLockError(entity.name, update.id, update.version);
    }
  }

  /**
   * After a successful write: the snapshots become what was written, and the caller's objects get the
   * fields the data layer set (version, updatedAt). Fields the caller changed while the flush was in
   * flight are left as the caller set them, and differ from the snapshot, so the next flush writes them.
   */
  #applied(changes: ChangeSet): FlushResult {
    let deleted = 0;
    for (const rows of changes.deletes.values()) {
      for (const d of rows) this.#map.delete(d.tracked.entity, d.id);
      deleted += rows.length;
    }
    for (const { tracked, set } of changes.updates) {
      const written = { ...tracked.snapshot!, ...set };
      tracked.snapshot = snapshot(tracked.entity, written);
      const { entity } = tracked;
      const row = tracked.row as StoredRow;
      if (entity.versionField) row[entity.versionField] = written[entity.versionField];
      if (entity.updatedAtField) row[entity.updatedAtField] = copyValue(written[entity.updatedAtField]);
    }
    let inserted = 0;
    for (const rows of changes.inserts.values()) {
      for (const { tracked, row } of rows) {
        // A row removed while its insert was in flight stays removed: the next flush deletes it.
        if (tracked.state === 'new') tracked.state = 'managed';
        tracked.snapshot = row;
      }
      inserted += rows.length;
    }
    return { inserted, updated: changes.updates.length, deleted };
  }
}
