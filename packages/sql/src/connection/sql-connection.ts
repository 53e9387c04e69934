import {
  THROUGH_KEY,
  type MigrationDriver,
  type MigrationOptions,
  SchemaDriftError,
  diffSchema,
  hasGeneratedIds,
} from '@berth/core';
import type {
  CommitOutcomeResolver,
  BeginOptions,
  AggregateCommand,
  AggregateResultRow,
  CountCommand,
  DeleteCommand,
  DriverConnection,
  EntityMeta,
  FindCommand,
  InsertCommand,
  ModifyCommand,
  ModifyManyResult,
  QueryObserver,
  RawResult,
  SchemaModel,
  SqlFragment,
  StoredRow,
  UpdateCommand,
  UpsertCommand,
  UpsertOutcome,
} from '@berth/core';
import { compileRaw } from '../compiler/compile-raw.js';
import { beginStatements } from '../dialect/begin-statements.js';
import { observeStatement } from './observe-statement.js';
import { outsideReferences, refuseMissingReferences } from './missing-references.js';
import { decodeAggregateRow } from '../codec/decode-aggregate-row.js';
import { arrayRowDecoder, decodeArrayRow, decodeRow } from '../codec/row-decoder.js';
import { decodeValue } from '../codec/row-codec.js';
import { fieldOf } from '../compiler/column.js';
import { compileAggregate } from '../compiler/compile-aggregate.js';
import type { CompiledStatement } from '../compiler/compiled-statement.js';
import { compileCount } from '../compiler/compile-count.js';
import { compileCreateIndexes, compileListIndexes } from '../compiler/compile-create-indexes.js';
import {
  compileAddForeignKeys,
  compileListForeignKeys,
  hasForeignKeys,
} from '../compiler/compile-foreign-keys.js';
import { compileCreateTable } from '../compiler/compile-create-table.js';
import { compileDeleteCached } from '../compiler/compile-delete-cached.js';
import { compileFindCached } from '../compiler/compile-find-cached.js';
import { compileInsert } from '../compiler/compile-insert.js';
import { compileUpdateCached } from '../compiler/compile-update-cached.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { assignGeneratedIds, generatedIds } from './generated-ids.js';
import { lostWriteError } from './lost-write.js';
import type { SqlArrayResult, SqlResult } from './sql-result.js';
import { type SqlWriteContext, modifyMany, modifyOne, upsert } from './sql-writes.js';
import { SqlMigrationDriver } from '../migration/sql-migration-driver.js';

/** How many rows a statement matched (what a delete resolves to). */
function affectedRows(result: SqlResult): number {
  return result.affectedRows;
}

/**
 * A `DriverConnection` for SQL backends, built on one primitive a subclass provides: `execute`. Commands
 * are compiled with the dialect, values encoded and decoded with the row codec, and transactions and
 * savepoints are plain SQL. A subclass wraps one driver connection (a pg client, a mysql2 connection, a
 * PGlite instance) and provides `id`, `execute` and `withSchemaLock`.
 *
 * Like every `DriverConnection`, it is used from one async context at a time (the core serializes), so it
 * keeps its transaction state without locking.
 */
/** The rows a statement that returns none reports (transaction control). */
const noRows = (): number => 0;

export abstract class SqlConnection implements DriverConnection {
  /** A stable identifier for logs and pool events. */
  abstract readonly id: string;
  /** How statements are written for this backend: quoting, placeholders, types, `RETURNING`. */
  protected readonly dialect: SqlDialect;
  #broken = false;
  #inTransaction = false;
  /** Whether the current transaction has sent a write: a COMMIT without one has nothing to lose. */
  #wrote = false;
  /** The current transaction was begun READ ONLY: it cannot have written, whatever it tried. */
  #readOnly = false;
  readonly #entities = new Map<string, EntityMeta>();
  #current: EntityMeta | undefined;
  #queries: QueryObserver | undefined;

  constructor(dialect: SqlDialect) {
    this.dialect = dialect;
  }

  /**
   * Runs one statement with bound parameters. The subclass must:
   * - throw only berth's neutral errors, mapping the driver's (`mapPostgresError` / `mapMysqlError`, given
   *   `this.entities`), and call `markBroken()` before throwing a `ConnectionLostError`;
   * - report in `affectedRows` the rows an UPDATE *matched*, not the rows it changed (PostgreSQL does; mysql2
   *   needs the `FOUND_ROWS` client flag), because the core's optimistic-lock checks count matches;
   * - return rows as objects keyed by column name.
   */
  protected abstract execute(sql: string, params: unknown[]): Promise<SqlResult>;

  /**
   * Optional: `execute` with each row an array of its column values in select order (pg's and PGlite's
   * `rowMode: 'array'`), under the same contract otherwise. Where a subclass provides it, `find` reads
   * with it and decodes by column index: the decoded object is then the only one built per row (a
   * driver's object row is a second, and pg's copy of its row template is costly). Absent: object rows.
   */
  protected executeArrays?(sql: string, params: unknown[]): Promise<SqlArrayResult>;

  /**
   * Runs `fn` (the DDL of `ensureSchema`) holding a database-wide lock, so several processes starting at
   * once do not race to create the same tables. Use `withPostgresSchemaLock` or `withMysqlSchemaLock`.
   */
  protected abstract withSchemaLock<T>(fn: () => Promise<T>): Promise<T>;

  /** True once the connection failed in a way that makes it unusable; the core then destroys it. */
  get broken(): boolean {
    return this.#broken;
  }

  /** Marks the connection unusable; call it before throwing `ConnectionLostError` from `execute`. */
  protected markBroken(): void {
    this.#broken = true;
  }

  /** The statement `begin` runs; an adapter may add to it what it must learn before any commit. */
  protected beginStatement(begin: string): string {
    return begin;
  }

  /** Called with the result of `beginStatement`, once the transaction has begun. */
  protected began(_result: SqlResult): void {}

  /** The statement `commit` runs; an adapter may send with it what resolves a lost reply (a marker). */
  protected commitStatement(): string {
    return 'COMMIT';
  }

  /**
   * How to learn, on a fresh connection, what became of a COMMIT whose reply was lost (see
   * `CommitOutcomeUnknownError.resolve`); `undefined` (the default) leaves it unknown.
   */
  protected commitResolver(): CommitOutcomeResolver | undefined {
    return undefined;
  }

  /** The same for a lone INSERT outside a transaction (see `loneInsertResolver`); default `undefined`. */
  protected insertResolver(_command: InsertCommand): CommitOutcomeResolver | undefined {
    return undefined;
  }

  /**
   * Runs a write outside a transaction: its reply is the commit's, so a connection lost once it was sent is
   * a `CommitOutcomeUnknownError` (see `lostWriteError`). Inside a transaction it just runs.
   */
  #lone<T>(
    what: string,
    work: () => Promise<T>,
    resolver?: () => CommitOutcomeResolver | undefined,
  ): Promise<T> {
    // Not an async function: every write goes through here (see `find`).
    const inTransaction = this.#inTransaction;
    if (inTransaction) this.#wrote = true;
    const sent = !this.broken;
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      running = Promise.reject(error);
    }
    if (inTransaction) return running;
    return running.catch((error: unknown) => {
      throw lostWriteError(error, sent, what, resolver?.());
    });
  }

  /**
   * True once the current transaction has sent an INSERT, UPDATE or DELETE. A COMMIT of a transaction
   * that wrote nothing commits nothing, so losing its reply is a plain `ConnectionLostError`, and an
   * adapter need not pay to resolve it (a commit marker would turn a read-only transaction into a write).
   */
  protected get wroteInTransaction(): boolean {
    return this.#inTransaction && this.#wrote && !this.#readOnly;
  }

  /** True between `begin` and `commit`/`rollback`. */
  protected get inTransaction(): boolean {
    return this.#inTransaction;
  }

  /**
   * The entities this connection has worked with, the current statement's first: what the error mappers
   * need to name the fields of a violated unique index.
   */
  protected get entities(): readonly EntityMeta[] {
    const current = this.#current;
    const others = [...this.#entities.values()].filter((e) => e !== current);
    return current ? [current, ...others] : others;
  }

  #use(entity: EntityMeta): void {
    this.#current = entity;
    this.#entities.set(entity.name, entity);
  }

  #run(statement: CompiledStatement): Promise<SqlResult> {
    return this.observedExecute(
      statement.sql,
      [...statement.params],
      this.#inTransaction,
      this.#current?.name,
    );
  }

  /**
   * Reports every statement this connection sends to `queries` from now on (`DriverHooks.queries`; the
   * driver calls this when it creates the connection).
   */
  observeQueries(queries: QueryObserver | undefined): void {
    this.#queries = queries;
  }

  /**
   * `execute`, reported as a query event when someone listens. Every statement berth sends goes through
   * here; subclasses use it for their own statements (the schema lock) too. `shown` is what the event
   * reports instead, for a statement whose values were written into its text: the text with placeholders
   * and the values apart, so that values reach an event only when it asks for them (`includeValues`).
   * `rowsOf` counts the rows the event reports, for a packet of several statements (one result each).
   */
  protected observedExecute(
    sql: string,
    params: unknown[],
    inTransaction = this.#inTransaction,
    collection?: string,
    operation?: string,
    shown?: CompiledStatement,
    rowsOf?: (result: SqlResult) => number,
  ): Promise<SqlResult> {
    const queries = this.#queries;
    if (queries === undefined || !queries.listening) return this.execute(sql, params);
    return observeStatement(
      queries,
      this.id,
      shown?.sql ?? sql,
      shown?.params ?? params,
      inTransaction,
      collection,
      () => this.execute(sql, params),
      operation,
      rowsOf,
    );
  }

  /** Raw SQL: compiled with the dialect, run as one statement, rows as the driver returns them. */
  async raw(query: SqlFragment): Promise<RawResult> {
    const statement = compileRaw(this.dialect, query);
    this.#current = undefined;
    // berth cannot tell what a raw statement does, so it counts as a write: inside a transaction a lost
    // COMMIT reply is then resolved, and outside one a lost reply is an unknown outcome, never "nothing
    // happened".
    return this.#lone('a raw statement', () => this.observedExecute(statement.sql, [...statement.params]));
  }

  find(command: FindCommand): Promise<StoredRow[]> {
    // Not an async function: a read is on every findById, and each promise costs a hook call under
    // AsyncLocalStorage's promise hooks (an `await` one more).
    // A many-to-many read of a projection keeps object rows: its parent key is not where arrays put it.
    if (this.executeArrays !== undefined && !(command.through && command.select))
      return this.#findArrays(command);
    let sent: Promise<SqlResult>;
    try {
      this.#use(command.entity);
      sent = this.#run(compileFindCached(this.dialect, command));
    } catch (error) {
      return Promise.reject(error);
    }
    const { through } = command;
    return sent.then(({ rows }) => {
      if (!through) return rows.map((row) => decodeRow(this.dialect, command.entity, row, command.select));
      // Each row also carries the parent key it was read for, decoded as the join's foreign key.
      const key = fieldOf(through.entity, through.fromKey);
      return rows.map((row) => ({
        ...decodeRow(this.dialect, command.entity, row),
        [THROUGH_KEY]: decodeValue(this.dialect, key, (row as Record<string, unknown>)[THROUGH_KEY]),
      }));
    });
  }

  /**
   * `find` over `executeArrays`: the statement selects the fields (`select`, else every field in field
   * order) and, for a many-to-many read, the parent key after them, so column `i` is field `i`.
   */
  #findArrays(command: FindCommand): Promise<StoredRow[]> {
    let sent: Promise<SqlArrayResult>;
    try {
      this.#use(command.entity);
      const statement = compileFindCached(this.dialect, command);
      // The compiler made these parameters for this call alone (a cached shape's too): no defensive copy.
      sent = this.#observedArrays(statement.sql, statement.params as unknown[]);
    } catch (error) {
      return Promise.reject(error);
    }
    const { dialect } = this;
    const { entity, select, through } = command;
    return sent.then(({ rows }) => {
      if (select) return rows.map((row) => decodeArrayRow(dialect, entity, row, select));
      const decode = arrayRowDecoder(dialect, entity);
      if (!through) return rows.map(decode);
      // Each row also carries the parent key it was read for, decoded as the join's foreign key.
      const key = fieldOf(through.entity, through.fromKey);
      const at = entity.fieldNames.length;
      return rows.map((row) => {
        const decoded = decode(row);
        decoded[THROUGH_KEY] = decodeValue(dialect, key, row[at]);
        return decoded;
      });
    });
  }

  /** `observedExecute` over `executeArrays`, for the current statement's entity. */
  #observedArrays(sql: string, params: unknown[]): Promise<SqlArrayResult> {
    const queries = this.#queries;
    if (queries === undefined || !queries.listening) return this.executeArrays!(sql, params);
    return observeStatement(queries, this.id, sql, params, this.#inTransaction, this.#current?.name, () =>
      this.executeArrays!(sql, params),
    );
  }

  async aggregate(command: AggregateCommand): Promise<AggregateResultRow[]> {
    this.#use(command.entity);
    const { rows } = await this.#run(compileAggregate(this.dialect, command));
    return rows.map((row) => decodeAggregateRow(this.dialect, command, row));
  }

  async count(command: CountCommand): Promise<number> {
    this.#use(command.entity);
    const { rows } = await this.#run(compileCount(this.dialect, command));
    return Number(rows[0]?.count ?? 0);
  }

  /** Inserts in chunks; several chunks outside a transaction run in one, so the insert is all or nothing. */
  insert(command: InsertCommand): Promise<void> {
    // Not an async function (see `find`): one statement with nothing to read back, the common insert (a
    // single row, or a unit of work's rows of one entity), is sent as it is, without a promise of its own.
    // It resolves to the statement's result, which no caller reads (an insert is typed to resolve to nothing).
    let statements: CompiledStatement[];
    try {
      this.#use(command.entity);
      statements = compileInsert(this.dialect, command);
    } catch (error) {
      return Promise.reject(error);
    }
    const generated = hasGeneratedIds(command.entity);
    if (statements.length !== 1 || generated) return this.#insertAll(command, statements, generated);
    const { sql, params } = statements[0]!;
    return this.#lone(
      'an INSERT',
      // The compiler made these parameters for this call alone: no defensive copy.
      () => this.observedExecute(sql, params as unknown[], this.#inTransaction, command.entity.name),
      () => this.insertResolver(command),
    ) as Promise<unknown> as Promise<void>;
  }

  /** An insert of several statements, or one whose database-generated ids are read back. */
  async #insertAll(
    command: InsertCommand,
    statements: readonly CompiledStatement[],
    generated: boolean,
  ): Promise<void> {
    const ids: unknown[] = [];
    const runAll = async () => {
      for (const statement of statements) {
        // The compiler made these parameters for this call alone: no defensive copy (a chunk has 1000 rows).
        const params = statement.params as unknown[];
        const result = await this.observedExecute(
          statement.sql,
          params,
          this.#inTransaction,
          command.entity.name,
        );
        if (generated) ids.push(...generatedIds(result));
      }
    };
    if (statements.length > 1 && !this.#inTransaction) {
      await this.begin();
      this.#wrote = true;
      try {
        await runAll();
        await this.commit();
      } catch (error) {
        if (this.#inTransaction) await this.rollback().catch(() => undefined);
        throw error;
      }
    } else {
      // Generated ids cannot name the rows of a lost reply: such an insert's outcome stays unknown.
      await this.#lone('an INSERT', runAll, () => (generated ? undefined : this.insertResolver(command)));
    }
    if (generated) assignGeneratedIds(this.dialect, command, ids);
  }

  async update(command: UpdateCommand): Promise<number> {
    // No SQL exists for an empty SET; the contract's answer is still the number of rows matched.
    if (Object.keys(command.set).length === 0) return this.count(command);
    this.#use(command.entity);
    const { affectedRows } = await this.#lone('an UPDATE', () =>
      this.#run(compileUpdateCached(this.dialect, command)),
    );
    return affectedRows;
  }

  delete(command: DeleteCommand): Promise<number> {
    // Not an async function (see `find`): a delete by id and version runs on every `Repository.delete`.
    let statement: CompiledStatement;
    try {
      this.#use(command.entity);
      statement = compileDeleteCached(this.dialect, command);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#lone('a DELETE', () =>
      // Parameters made for this call alone (cached or not, the compiler binds a new list): no copy.
      this.observedExecute(
        statement.sql,
        statement.params as unknown[],
        this.#inTransaction,
        command.entity.name,
      ),
    ).then(affectedRows);
  }

  /** One row changed and returned: `UPDATE ... RETURNING`, or UPDATE then SELECT in a transaction. */
  modifyOne(command: ModifyCommand): Promise<StoredRow | undefined> {
    this.#use(command.entity);
    return this.modifyRow(command);
  }

  /**
   * How `modifyOne` changes and returns the row (see `modifyOne` in `sql-writes.ts`); an adapter may do it
   * in fewer round trips (MySQL: the whole transaction in one packet).
   */
  protected modifyRow(command: ModifyCommand): Promise<StoredRow | undefined> {
    return modifyOne(this.#writeContext(), command);
  }

  /** Every matching row changed, all or nothing with respect to the operators' bounds (see `modifyMany`). */
  modifyMany(command: ModifyCommand): Promise<ModifyManyResult> {
    this.#use(command.entity);
    return modifyMany(this.#writeContext(), command);
  }

  /** Insert-or-update by a unique key, atomically, in the dialect's `upsertStyle`. */
  upsert(command: UpsertCommand): Promise<UpsertOutcome[]> {
    this.#use(command.entity);
    return upsert(this.#writeContext(), command);
  }

  /** Made once per connection: a modify or upsert runs on every versioned update, and a fresh context would
   * cost an object and five closures per call. */
  #writes: SqlWriteContext | undefined;

  #writeContext(): SqlWriteContext {
    this.#writes ??= {
      dialect: this.dialect,
      // Every statement of these operations belongs to a write: inside a transaction it marks the
      // transaction as having written (so a lost COMMIT reply is resolved, never taken for "nothing
      // committed"); outside one, a lost reply is an unknown outcome.
      run: (statement) => this.#lone('a write', () => this.#run(statement)),
      inTransaction: () => this.#inTransaction,
      begin: () => this.begin(),
      commit: () => this.commit(),
      rollback: () => this.rollback(),
    };
    return this.#writes;
  }

  async begin(options?: BeginOptions): Promise<void> {
    const statements = beginStatements(this.dialect, options);
    for (const statement of statements.slice(0, -1)) await this.observedExecute(statement, [], true);
    const result = await this.observedExecute(this.beginStatement(statements.at(-1)!), [], true);
    this.#inTransaction = true;
    this.#wrote = false;
    this.#readOnly = options?.readOnly === true;
    this.began(result);
  }

  async commit(): Promise<void> {
    // Nothing of a transaction that wrote nothing can be lost with the reply: it stays ConnectionLostError.
    const sent = !this.broken && this.wroteInTransaction;
    try {
      // A COMMIT returns no rows; sent with a commit marker (MySQL) its packet has one result per statement.
      await this.observedExecute(this.commitStatement(), [], true, undefined, 'COMMIT', undefined, noRows);
    } catch (error) {
      throw lostWriteError(error, sent, 'the COMMIT', sent ? this.commitResolver() : undefined);
    } finally {
      // A failed COMMIT ends the transaction too (PostgreSQL rolls it back; a lost connection loses it).
      this.#inTransaction = false;
    }
  }

  async rollback(): Promise<void> {
    try {
      await this.observedExecute('ROLLBACK', [], true);
    } finally {
      this.#inTransaction = false;
    }
  }

  async savepoint(name: string): Promise<void> {
    await this.observedExecute(`SAVEPOINT ${this.dialect.quoteIdentifier(name)}`, []);
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    await this.observedExecute(`ROLLBACK TO SAVEPOINT ${this.dialect.quoteIdentifier(name)}`, []);
  }

  async releaseSavepoint(name: string): Promise<void> {
    await this.observedExecute(`RELEASE SAVEPOINT ${this.dialect.quoteIdentifier(name)}`, []);
  }

  async ping(): Promise<void> {
    await this.observedExecute('SELECT 1', []);
  }

  /**
   * Migration support on this connection (see `MigrationDriver`): introspection, SQL files, the migration
   * lock and history. Its statements go through this connection's paths: writes outside a transaction are
   * lone writes, writes inside one mark it as having written.
   */
  migrations(options: MigrationOptions = {}): MigrationDriver {
    return new SqlMigrationDriver(
      {
        dialect: this.dialect,
        read: (sql, params) => {
          this.#current = undefined;
          return this.observedExecute(sql, params);
        },
        write: (sql, params) => {
          this.#current = undefined;
          return this.#lone('a migration statement', () => this.observedExecute(sql, params));
        },
        begin: () => this.begin(),
        commit: () => this.commit(),
        rollback: () => this.rollback(),
        lockRefusal: this.migrationLockRefusal(),
      },
      options.historyTable,
    );
  }

  /** Why this connection cannot hold the migration lock (see `SqlMigrationContext.lockRefusal`); default none. */
  protected migrationLockRefusal(): string | undefined {
    return undefined;
  }

  /**
   * Creates missing tables, indexes and foreign keys (after every table, so references may cycle) under the
   * schema lock, then checks that the entities' existing tables match: a missing column, another type,
   * length or nullability, or a foreign key declared with another `onDelete` or target, throws
   * `SchemaDriftError` naming each difference (existing tables are never altered here; `berth migrate`
   * does that). Call it outside a transaction: MySQL commits implicitly on DDL.
   */
  async ensureSchema(entities: readonly EntityMeta[]): Promise<void> {
    const { live, keysAdded } = await this.#createSchema(entities);
    // What was read before the indexes were made still holds when no foreign key was added since: the
    // check leaves indexes out, and the tables and columns were read after the tables were created. Reading
    // the catalog again is the slow part of a start that changed nothing (PGlite: some 0.2 s).
    await this.#checkDrift(entities, true, keysAdded ? undefined : live);
  }

  /**
   * Throws `SchemaDriftError` when the entities' existing tables differ from them. Before the foreign keys
   * are made (`foreignKeys` false), keys are left out: only the columns are checked. Reads the schema
   * unless `live` is given; resolves with what it checked.
   */
  async #checkDrift(
    entities: readonly EntityMeta[],
    foreignKeys: boolean,
    live?: SchemaModel,
  ): Promise<SchemaModel> {
    live ??= await this.migrations().introspect();
    const names = new Set(entities.map((e) => e.name));
    const relevant = { tables: live.tables.filter((t) => names.has(t.name)) };
    const { steps } = diffSchema(entities, relevant, this.migrations().target, {
      dropTables: false,
      dropColumns: false,
      indexes: false,
    });
    // A table it just created and cannot see is not drift of the kind this check is for; a foreign key no
    // relation declares is left alone like an undeclared column, but one declared with another action or
    // target (an `addForeignKey` left after the keys were created) is drift.
    const drift = steps.filter(
      (s) =>
        s.kind !== 'createTable' &&
        s.kind !== 'dropForeignKey' &&
        (foreignKeys || s.kind !== 'addForeignKey'),
    );
    if (drift.length > 0) throw new SchemaDriftError(drift.map((s) => `${s.table}: ${s.reason}`));
    return live;
  }

  /** Resolves with the schema as read after the tables were made, and whether a foreign key was added since. */
  async #createSchema(entities: readonly EntityMeta[]): Promise<{ live: SchemaModel; keysAdded: boolean }> {
    for (const entity of entities) this.#entities.set(entity.name, entity);
    return this.withSchemaLock(async () => {
      // A reference to a table outside the list must already exist: checked before anything is created.
      const outside = outsideReferences(entities);
      if (outside.length > 0) {
        const live = await this.migrations().introspect();
        refuseMissingReferences(outside, new Set(live.tables.map((t) => t.name)));
      }
      for (const entity of entities) {
        this.#current = entity;
        await this.#run(compileCreateTable(this.dialect, entity));
      }
      // An existing table missing a column is drift, named as such: an index or a foreign key on the
      // missing column would otherwise fail as a database error.
      const live = await this.#checkDrift(entities, false);
      let keysAdded = false;
      for (const entity of entities) {
        this.#current = entity;
        let existing: string[] = [];
        if (!this.dialect.supportsCreateIndexIfNotExists && entity.indexes.length > 0) {
          const { rows } = await this.#run(compileListIndexes(this.dialect, entity));
          existing = rows.map((row) => String(row.name));
        }
        for (const statement of compileCreateIndexes(this.dialect, entity, existing))
          await this.#run(statement);
      }
      // Foreign keys once every table exists, since entities may reference each other in a cycle.
      for (const entity of entities) {
        if (!hasForeignKeys(entity)) continue;
        this.#current = entity;
        const { rows } = await this.#run(compileListForeignKeys(this.dialect, entity));
        const existing = rows.map((row) => String(row.name));
        for (const statement of compileAddForeignKeys(this.dialect, entity, existing)) {
          await this.#run(statement);
          keysAdded = true;
        }
      }
      return { live, keysAdded };
    });
  }
}
