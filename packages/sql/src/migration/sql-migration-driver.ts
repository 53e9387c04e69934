import { UnsupportedFeatureError } from '@berth/core';
import {
  type AppliedMigration,
  type FieldMeta,
  type MigrationDriver,
  MigrationError,
  type MigrationProgress,
  type MigrationSource,
  type MigrationStep,
  type RenderOptions,
  type SchemaModel,
  type SchemaTarget,
  migrationChecksum,
  DEFAULT_HISTORY_TABLE,
} from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { SqlResult } from '../connection/sql-result.js';
import { introspectMysql } from './introspect-mysql.js';
import { introspectPostgres } from './introspect-postgres.js';
import { renderSqlMigration } from './render-sql.js';
import { sqlSchemaTarget } from './sql-schema-target.js';
import { NO_TRANSACTION_DIRECTIVE, splitMigration } from './split-statements.js';

/** The PostgreSQL advisory lock key of migrations ("bertm"), distinct from `ensureSchema`'s. */
export const POSTGRES_MIGRATION_LOCK_KEY = 0x626572746d;
/** The MySQL named lock of migrations. */
export const MYSQL_MIGRATION_LOCK_NAME = 'berth_migrations';
/** How often a waiting instance asks for PostgreSQL's lock again. */
const LOCK_POLL_MS = 100;

/** What `SqlConnection` lends the migration driver: its statement paths and transactions. */
export interface SqlMigrationContext {
  /** The backend's dialect: quoting, types and whether DDL is transactional. */
  readonly dialect: SqlDialect;
  /** A read, or a statement whose loss changes nothing (locks). */
  read(sql: string, params: unknown[]): Promise<SqlResult>;
  /** A write: inside a transaction it marks it as having written; outside one it is a lone write. */
  write(sql: string, params: unknown[]): Promise<SqlResult>;
  /** Starts the transaction one migration runs in (where the backend's DDL is transactional). */
  begin(): Promise<void>;
  /** Commits that migration's transaction. */
  commit(): Promise<void>;
  /** Rolls that migration's transaction back after a failed statement. */
  rollback(): Promise<void>;
  /**
   * Why the migration lock cannot be held on this connection, if it cannot: behind a transaction-mode
   * pooler (PgBouncer) a session lock may be taken on one server session and released on another.
   */
  readonly lockRefusal?: string | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `MigrationDriver` for the SQL backends. PostgreSQL and PGlite run each file in one transaction, DDL
 * included, and record it in the same transaction; MySQL/MariaDB commit every DDL statement implicitly, so
 * each statement is recorded as done right after it runs and a failed file resumes at the failed statement.
 */
export class SqlMigrationDriver implements MigrationDriver {
  readonly flavour: string;
  readonly extension = '.sql';
  readonly transactionalDdl: boolean;
  /** How the dialect's schema is compared and written (types, defaults, index names). */
  readonly target: SchemaTarget;
  readonly #ctx: SqlMigrationContext;
  readonly #table: string;

  /** `historyTable` is already checked (`Database.withMigrations`). */
  constructor(ctx: SqlMigrationContext, historyTable: string = DEFAULT_HISTORY_TABLE) {
    this.#ctx = ctx;
    this.#table = historyTable;
    this.flavour = ctx.dialect.name;
    this.transactionalDdl = ctx.dialect.name === 'postgres';
    this.target = sqlSchemaTarget(ctx.dialect);
  }

  introspect(): Promise<SchemaModel> {
    const read = (sql: string, params: unknown[]) => this.#ctx.read(sql, params);
    return this.#ctx.dialect.name === 'postgres' ? introspectPostgres(read) : introspectMysql(read);
  }

  render(steps: readonly MigrationStep[], title: string, options: RenderOptions = {}): string {
    return renderSqlMigration(this.#ctx.dialect, steps, title, options);
  }

  async withLock<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const { read, lockRefusal } = this.#ctx;
    if (lockRefusal !== undefined) throw new UnsupportedFeatureError('migrations', lockRefusal);
    if (this.#ctx.dialect.name === 'postgres') {
      // Session-level, so the lock spans the several transactions a run commits; polled so the wait is bounded.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await read(
          `SELECT pg_try_advisory_lock(${POSTGRES_MIGRATION_LOCK_KEY}) AS "acquired"`,
          [],
        );
        if (rows[0]?.acquired === true) break;
        if (Date.now() >= deadline) throw this.#lockTimeout(timeoutMs);
        await sleep(LOCK_POLL_MS);
      }
      try {
        return await fn();
      } finally {
        await read(`SELECT pg_advisory_unlock(${POSTGRES_MIGRATION_LOCK_KEY})`, []).catch(() => undefined);
      }
    }
    const seconds = Math.max(0, Math.ceil(timeoutMs / 1000));
    const { rows } = await read('SELECT GET_LOCK(?, ?) AS `acquired`', [MYSQL_MIGRATION_LOCK_NAME, seconds]);
    if (Number(rows[0]?.acquired) !== 1) throw this.#lockTimeout(timeoutMs);
    try {
      return await fn();
    } finally {
      // A session's named locks go with the session, which is what a failure here means.
      await read('SELECT RELEASE_LOCK(?)', [MYSQL_MIGRATION_LOCK_NAME]).catch(() => undefined);
    }
  }

  #lockTimeout(timeoutMs: number): MigrationError {
    return new MigrationError(
      'lock-timeout',
      `another instance held the migration lock for more than ${timeoutMs} ms; try again once it is done`,
    );
  }

  #type(field: Partial<FieldMeta> & Pick<FieldMeta, 'kind'>): string {
    return this.#ctx.dialect.columnType({
      nullable: false,
      unique: false,
      indexed: false,
      hasDefault: false,
      ...field,
    });
  }

  async history(): Promise<AppliedMigration[]> {
    const { dialect } = this.#ctx;
    const q = (name: string) => dialect.quoteIdentifier(name);
    await this.#ctx.write(
      `CREATE TABLE IF NOT EXISTS ${q(this.#table)} (` +
        `${q('id')} ${this.#type({ kind: 'string', max: 255 })} NOT NULL, ` +
        `${q('checksum')} ${this.#type({ kind: 'string', max: 64 })} NOT NULL, ` +
        `${q('applied_at')} ${this.#type({ kind: 'datetime' })} NOT NULL, ` +
        `${q('complete')} ${this.#type({ kind: 'boolean' })} NOT NULL, ` +
        `${q('steps_done')} ${this.#type({ kind: 'version' })} NOT NULL, ` +
        `${q('done_checksum')} ${this.#type({ kind: 'string', max: 64 })} NOT NULL, ` +
        `PRIMARY KEY (${q('id')}))${dialect.tableOptions}`,
      [],
    );
    const { rows } = await this.#ctx.read(
      `SELECT ${['id', 'checksum', 'applied_at', 'complete', 'steps_done', 'done_checksum'].map(q).join(', ')} ` +
        `FROM ${q(this.#table)} ORDER BY ${q('id')}`,
      [],
    );
    return rows.map((r) => ({
      id: String(r.id),
      checksum: String(r.checksum),
      appliedAt: r.applied_at instanceof Date ? r.applied_at : new Date(String(r.applied_at)),
      complete: r.complete === true || Number(r.complete) === 1,
      stepsDone: Number(r.steps_done),
      doneChecksum: String(r.done_checksum),
    }));
  }

  reversible(source: MigrationSource): boolean {
    return splitMigration(source.text).down !== undefined;
  }

  async revert(source: MigrationSource, progress?: MigrationProgress): Promise<void> {
    const statements = splitMigration(source.text).down ?? [];
    const q = (name: string) => this.#ctx.dialect.quoteIdentifier(name);
    const forget = () =>
      this.#ctx.write(
        `DELETE FROM ${q(this.#table)} WHERE ${q('id')} = ${this.#ctx.dialect.placeholder(1)}`,
        [source.id],
      );
    const run = async () => {
      for (const [i, statement] of statements.entries()) {
        progress?.({ id: source.id, step: i + 1, steps: statements.length, statement });
        await this.#ctx.write(statement, []);
      }
      await forget();
    };
    if (!this.#transactional(source)) return run();
    await this.#ctx.begin();
    try {
      await run();
      await this.#ctx.commit();
    } catch (error) {
      await this.#ctx.rollback().catch(() => undefined);
      throw error;
    }
  }

  /** Whether the file runs in one transaction: DDL is transactional and it does not opt out. */
  #transactional(source: MigrationSource): boolean {
    return (
      this.transactionalDdl && !source.text.split(/\r?\n/).some((l) => l.trim() === NO_TRANSACTION_DIRECTIVE)
    );
  }

  /** Inserts the file's history row, complete, without running a statement (`baseline`). */
  async markApplied(source: MigrationSource): Promise<void> {
    const statements = splitMigration(source.text).up;
    await this.#record(source, statements, statements.length, true, false);
  }

  async apply(
    source: MigrationSource,
    resume: AppliedMigration | undefined,
    progress?: MigrationProgress,
  ): Promise<void> {
    const statements = splitMigration(source.text).up;
    const start = resume?.stepsDone ?? 0;
    if (resume && migrationChecksum(statements.slice(0, start).join(';\n')) !== resume.doneChecksum)
      throw new MigrationError(
        'checksum-mismatch',
        `migration ${source.id} stopped after ${start} statements, and those statements were edited since: ` +
          'only the statements not yet run may change',
        source.id,
      );
    if (this.#transactional(source)) {
      await this.#ctx.begin();
      try {
        for (const [i, statement] of statements.entries()) {
          progress?.({ id: source.id, step: i + 1, steps: statements.length, statement });
          await this.#ctx.write(statement, []);
        }
        await this.#record(source, statements, statements.length, true, false);
        await this.#ctx.commit();
      } catch (error) {
        await this.#ctx.rollback().catch(() => undefined);
        throw error;
      }
      return;
    }
    if (!resume) await this.#record(source, statements, 0, false, false);
    for (let i = start; i < statements.length; i++) {
      const statement = statements[i]!;
      progress?.({ id: source.id, step: i + 1, steps: statements.length, statement });
      await this.#ctx.write(statement, []);
      await this.#record(source, statements, i + 1, false, true);
    }
    await this.#record(source, statements, statements.length, true, true);
  }

  /** Inserts (`update` false) or updates the history row of `source`. */
  async #record(
    source: MigrationSource,
    statements: readonly string[],
    done: number,
    complete: boolean,
    update: boolean,
  ): Promise<void> {
    const { dialect } = this.#ctx;
    const q = (name: string) => dialect.quoteIdentifier(name);
    const p = (i: number) => dialect.placeholder(i);
    const completeValue = dialect.booleansAsIntegers ? (complete ? 1 : 0) : complete;
    const doneChecksum = migrationChecksum(statements.slice(0, done).join(';\n'));
    const now = new Date();
    if (update) {
      await this.#ctx.write(
        `UPDATE ${q(this.#table)} SET ${q('checksum')} = ${p(1)}, ${q('applied_at')} = ${p(2)}, ` +
          `${q('complete')} = ${p(3)}, ${q('steps_done')} = ${p(4)}, ${q('done_checksum')} = ${p(5)} WHERE ${q('id')} = ${p(6)}`,
        [source.checksum, now, completeValue, done, doneChecksum, source.id],
      );
      return;
    }
    await this.#ctx.write(
      `INSERT INTO ${q(this.#table)} (${['id', 'checksum', 'applied_at', 'complete', 'steps_done', 'done_checksum'].map(q).join(', ')}) ` +
        `VALUES (${[1, 2, 3, 4, 5, 6].map(p).join(', ')})`,
      [source.id, source.checksum, now, completeValue, done, doneChecksum],
    );
  }
}
