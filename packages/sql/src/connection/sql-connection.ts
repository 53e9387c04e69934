import type {
  AggregateCommand,
  AggregateResultRow,
  CountCommand,
  DeleteCommand,
  DriverConnection,
  EntityMeta,
  FindCommand,
  InsertCommand,
  StoredRow,
  UpdateCommand,
} from '@berth/core';
import { decodeAggregateRow } from '../codec/decode-aggregate-row.js';
import { decodeRow } from '../codec/row-codec.js';
import { compileAggregate } from '../compiler/compile-aggregate.js';
import type { CompiledStatement } from '../compiler/compiled-statement.js';
import { compileCount } from '../compiler/compile-count.js';
import { compileCreateIndexes, compileListIndexes } from '../compiler/compile-create-indexes.js';
import { compileCreateTable } from '../compiler/compile-create-table.js';
import { compileDelete } from '../compiler/compile-delete.js';
import { compileFind } from '../compiler/compile-find.js';
import { compileInsert } from '../compiler/compile-insert.js';
import { compileUpdate } from '../compiler/compile-update.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { SqlResult } from './sql-result.js';

/**
 * A `DriverConnection` for SQL backends, built on one primitive a subclass provides: `execute`. Commands
 * are compiled with the dialect, values encoded and decoded with the row codec, and transactions and
 * savepoints are plain SQL. A subclass wraps one driver connection (a pg client, a mysql2 connection, a
 * PGlite instance) and provides `id`, `execute` and `withSchemaLock`.
 *
 * Like every `DriverConnection`, it is used from one async context at a time (the core serializes), so it
 * keeps its transaction state without locking.
 */
export abstract class SqlConnection implements DriverConnection {
  /** A stable identifier for logs and pool events. */
  abstract readonly id: string;
  protected readonly dialect: SqlDialect;
  #broken = false;
  #inTransaction = false;
  readonly #entities = new Map<string, EntityMeta>();
  #current: EntityMeta | undefined;

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
    return this.execute(statement.sql, [...statement.params]);
  }

  async find(command: FindCommand): Promise<StoredRow[]> {
    this.#use(command.entity);
    const { rows } = await this.#run(compileFind(this.dialect, command));
    return rows.map((row) => decodeRow(this.dialect, command.entity, row, command.select));
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
  async insert(command: InsertCommand): Promise<void> {
    this.#use(command.entity);
    const statements = compileInsert(this.dialect, command);
    if (statements.length > 1 && !this.#inTransaction) {
      await this.begin();
      try {
        for (const statement of statements) await this.#run(statement);
        await this.commit();
      } catch (error) {
        if (this.#inTransaction) await this.rollback().catch(() => undefined);
        throw error;
      }
      return;
    }
    for (const statement of statements) await this.#run(statement);
  }

  async update(command: UpdateCommand): Promise<number> {
    // No SQL exists for an empty SET; the contract's answer is still the number of rows matched.
    if (Object.keys(command.set).length === 0) return this.count(command);
    this.#use(command.entity);
    const { affectedRows } = await this.#run(compileUpdate(this.dialect, command));
    return affectedRows;
  }

  async delete(command: DeleteCommand): Promise<number> {
    this.#use(command.entity);
    const { affectedRows } = await this.#run(compileDelete(this.dialect, command));
    return affectedRows;
  }

  async begin(): Promise<void> {
    await this.execute(this.dialect.beginTransaction, []);
    this.#inTransaction = true;
  }

  async commit(): Promise<void> {
    try {
      await this.execute('COMMIT', []);
    } finally {
      // A failed COMMIT ends the transaction too (PostgreSQL rolls it back; a lost connection loses it).
      this.#inTransaction = false;
    }
  }

  async rollback(): Promise<void> {
    try {
      await this.execute('ROLLBACK', []);
    } finally {
      this.#inTransaction = false;
    }
  }

  async savepoint(name: string): Promise<void> {
    await this.execute(`SAVEPOINT ${this.dialect.quoteIdentifier(name)}`, []);
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    await this.execute(`ROLLBACK TO SAVEPOINT ${this.dialect.quoteIdentifier(name)}`, []);
  }

  async releaseSavepoint(name: string): Promise<void> {
    await this.execute(`RELEASE SAVEPOINT ${this.dialect.quoteIdentifier(name)}`, []);
  }

  async ping(): Promise<void> {
    await this.execute('SELECT 1', []);
  }

  /**
   * Creates missing tables and indexes under the schema lock. Existing tables are not altered. Call it
   * outside a transaction: MySQL commits implicitly on DDL.
   */
  async ensureSchema(entities: readonly EntityMeta[]): Promise<void> {
    for (const entity of entities) this.#entities.set(entity.name, entity);
    await this.withSchemaLock(async () => {
      for (const entity of entities) {
        this.#current = entity;
        await this.#run(compileCreateTable(this.dialect, entity));
        let existing: string[] = [];
        if (!this.dialect.supportsCreateIndexIfNotExists && entity.indexes.length > 0) {
          const { rows } = await this.#run(compileListIndexes(this.dialect, entity));
          existing = rows.map((row) => String(row.name));
        }
        for (const statement of compileCreateIndexes(this.dialect, entity, existing))
          await this.#run(statement);
      }
    });
  }
}
