import type { MigrationStep } from './migration-step.js';
import type { SchemaModel } from './schema-model.js';
import type { SchemaTarget } from './schema-target.js';

/**
 * One migration file as the runner sees it. `id` is the file name without extension
 * (`20261202T051500_add_phone`), which orders files; `checksum` is the SHA-256 of its text.
 */
export interface MigrationSource {
  /** The file name without extension (`20261202T051500_add_phone`); files run in the order of their ids. */
  readonly id: string;
  /** The SHA-256 of the file's text, hex: an applied file whose text changes is reported as modified. */
  readonly checksum: string;
  /** The file's text: the SQL for SQL backends, the module's source for MongoDB (for review and checksums). */
  readonly text: string;
  /** MongoDB: the module's `up`, called with the driver's native `Db`. */
  readonly up?: (db: unknown) => Promise<void>;
  /** MongoDB: the module's `down`, if it exports one (SQL files declare theirs in a `-- down` section). */
  readonly down?: (db: unknown) => Promise<void>;
}

/** One row of the migration history table (collection). */
export interface AppliedMigration {
  /** The applied file's id (its name without extension). */
  readonly id: string;
  /** The file's checksum when it was applied, compared with the file's current one. */
  readonly checksum: string;
  /** When the migration was recorded as applied. */
  readonly appliedAt: Date;
  /**
   * False while a migration that runs step by step (MySQL/MariaDB) has stopped part-way: `stepsDone`
   * statements ran, and the next `up` resumes after them.
   */
  readonly complete: boolean;
  /** How many of the file's statements have run (all of them once `complete`). */
  readonly stepsDone: number;
  /** Checksum of the statements already run, so the rest of a failed migration may be fixed and resumed. */
  readonly doneChecksum: string;
}

/** How a file is written. */
export interface RenderOptions {
  /**
   * Expand-friendly: steps that would block writes while they run are written to not block, where the
   * backend can (`CREATE INDEX CONCURRENTLY` on PostgreSQL, in a file run outside a transaction;
   * `ALGORITHM=INPLACE, LOCK=NONE` on MySQL/MariaDB, which the server refuses rather than lock the table).
   */
  online?: boolean;
}

/** Called as a migration progresses (statement by statement), for the CLI to print. */
export type MigrationProgress = (event: {
  id: string;
  step: number;
  steps: number;
  statement: string;
}) => void;

/** The default history table (collection); berth's own tables start with `berth_`, which the differ skips. */
export const DEFAULT_HISTORY_TABLE = 'berth_migrations';

/** Options of an adapter's migration support. */
export interface MigrationOptions {
  /**
   * The history table (collection) name, default `berth_migrations`. It must start with `berth_` (so the
   * differ never proposes dropping it); several applications sharing one database each keep their own.
   */
  historyTable?: string;
}

/**
 * What an adapter provides for migrations (`DriverConnection.migrations`), on one connection held for the
 * whole command: introspection, rendering steps into its file format, the backend lock, the history, and
 * applying one file.
 */
export interface MigrationDriver {
  /** The file flavour and folder name: `postgres` (PostgreSQL and PGlite), `mysql`, `mongodb`. */
  readonly flavour: string;
  /** The migration file's extension: `.sql`, or `.mjs` for MongoDB modules. */
  readonly extension: string;
  /**
   * Whether a file runs in one transaction, DDL included (PostgreSQL, PGlite). False: statements run and
   * are recorded one by one, so a failed run resumes at the failed statement (MySQL/MariaDB commit DDL
   * implicitly; MongoDB's index builds are not transactional).
   */
  readonly transactionalDdl: boolean;
  /** How this backend stores entities: what the differ compares the live schema with. */
  readonly target: SchemaTarget;
  /** Reads the live tables (collections), columns, indexes, foreign keys; berth's own tables excluded. */
  introspect(): Promise<SchemaModel>;
  /** The file text for these steps; destructive steps are marked with a comment. */
  render(steps: readonly MigrationStep[], title: string, options?: RenderOptions): string;
  /**
   * Runs `fn` holding the backend-wide migration lock (`pg_advisory_lock`, `GET_LOCK`, a lock document),
   * waiting up to `timeoutMs` for it, then `MigrationError('lock-timeout')`.
   */
  withLock<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T>;
  /** The history, oldest first; the history table is created when missing. */
  history(): Promise<AppliedMigration[]>;
  /** True when the file declares how to revert it (a `-- down` section, a `down` export). */
  reversible(source: MigrationSource): boolean;
  /**
   * Runs the file's down part and removes its history row: in one transaction where DDL is transactional
   * (unless the file runs outside one); elsewhere statement by statement, the row removed at the end.
   */
  revert(source: MigrationSource, progress?: MigrationProgress): Promise<void>;
  /**
   * Records the file as applied, complete, without running it (`baseline`: the database already is what
   * the file makes).
   */
  markApplied(source: MigrationSource): Promise<void>;
  /** Runs one file and records it, resuming after `resume.stepsDone` statements when given. */
  apply(
    source: MigrationSource,
    resume: AppliedMigration | undefined,
    progress?: MigrationProgress,
  ): Promise<void>;
}
