import type { Database } from '../database.js';
import type { EntityMeta } from '../entity/define-entity.js';
import { MigrationError } from '../errors/migration-error.js';
import { type DiffOptions, diffSchema } from './diff-schema.js';
import type {
  AppliedMigration,
  MigrationOptions,
  MigrationProgress,
  MigrationSource,
  RenderOptions,
} from './migration-driver.js';
import { splitExpandContract } from './expand-contract.js';
import type { MigrationStep, SchemaDiff } from './migration-step.js';

/** Default wait for the migration lock held by another instance. */
export const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 60_000;

/** Options of `migrateUp`. */
export interface MigrateUpOptions extends MigrationOptions {
  /** How long to wait for another instance's migration lock (default 60 s). */
  lockTimeoutMs?: number;
  /** Called before each statement of each file runs. */
  progress?: MigrationProgress;
  /**
   * Apply pending files up to and including this id, and leave later ones pending (`up --to`): the expand
   * file of a split change before the deploy, its contract file after.
   */
  to?: string;
}

/** What `migrateUp` did. */
export interface MigrateUpResult {
  /** The files this call applied (or finished, when resumed), in order. */
  readonly applied: readonly string[];
}

/** Where each file stands, and whether the database still matches the entities. */
export interface MigrationStatus {
  /** Every row of the history table, in the order applied (an interrupted one included, with `complete: false`). */
  readonly applied: readonly AppliedMigration[];
  /** Files not applied yet (an interrupted one included), in order. */
  readonly pending: readonly string[];
  /** Applied files whose text changed since, or that are gone. */
  readonly modified: readonly string[];
  /** Applied files whose file is gone from the migrations folder. */
  readonly missing: readonly string[];
  /** The differences between the entities and the live schema (empty when it matches). */
  readonly drift: SchemaDiff;
}

function checkHistory(history: readonly AppliedMigration[], sources: readonly MigrationSource[]): void {
  const byId = new Map(sources.map((s) => [s.id, s]));
  for (const entry of history) {
    const source = byId.get(entry.id);
    if (!source)
      throw new MigrationError(
        'missing-file',
        `migration ${entry.id} is recorded as applied but its file is missing`,
        entry.id,
      );
    if (entry.complete && source.checksum !== entry.checksum)
      throw new MigrationError(
        'checksum-mismatch',
        `migration ${entry.id} was edited after it was applied (checksum ${entry.checksum.slice(0, 12)} recorded, ` +
          `${source.checksum.slice(0, 12)} on disk): write a new migration instead of editing an applied one`,
        entry.id,
      );
  }
}

function sorted(sources: readonly MigrationSource[]): MigrationSource[] {
  return [...sources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Applies the pending migration files in id order, holding the backend's migration lock so instances
 * starting at once apply each file exactly once (the others wait, then find nothing pending). Refuses with
 * `MigrationError` when an applied file was edited or is missing. A file whose run stopped part-way on a
 * backend without transactional DDL resumes after its last recorded statement.
 */
export async function migrateUp(
  db: Database,
  sources: readonly MigrationSource[],
  options: MigrateUpOptions = {},
): Promise<MigrateUpResult> {
  return db.withMigrations(
    (driver) =>
      driver.withLock(async () => {
        const history = await driver.history();
        checkHistory(history, sources);
        const recorded = new Map(history.map((h) => [h.id, h]));
        const applied: string[] = [];
        if (options.to !== undefined && !sources.some((s) => s.id === options.to))
          throw new MigrationError('missing-file', `there is no migration ${options.to} to apply up to`);
        for (const source of sorted(sources)) {
          if (options.to !== undefined && source.id > options.to) break;
          const entry = recorded.get(source.id);
          if (entry?.complete) continue;
          await driver.apply(source, entry, options.progress);
          applied.push(source.id);
        }
        return { applied };
      }, options.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS),
    options,
  );
}

/** Options of `migrateBaseline`. */
export interface MigrateBaselineOptions extends MigrationOptions, DiffOptions {
  /** Mark files up to and including this id, and leave later ones pending (default: every file). */
  to?: string;
  /** How long to wait for another instance's migration lock (default 60 s). */
  lockTimeoutMs?: number;
}

/** What `migrateBaseline` did: the files it recorded as applied, in order (none when all were). */
export interface MigrateBaselineResult {
  /** The files recorded as applied, in order; none when every file was already recorded. */
  readonly baselined: readonly string[];
}

/**
 * Adopts migrations on a database made before them (by `ensureSchema()` or by hand): records the files not
 * yet applied (up to `to`) as applied, without running them, under the migration lock. Only when the live
 * schema already matches the entities (the schema those files make, as they were generated from them):
 * otherwise `MigrationError('drift')` lists every difference and nothing is recorded. With `to`, run it
 * with the entity version the files up to `to` were generated from. Refused as `up` is when an applied file
 * was edited or is missing, and with `'partial'` when a file stopped part-way.
 */
export async function migrateBaseline(
  db: Database,
  sources: readonly MigrationSource[],
  entities: readonly EntityMeta[],
  options: MigrateBaselineOptions = {},
): Promise<MigrateBaselineResult> {
  return db.withMigrations(
    (driver) =>
      driver.withLock(async () => {
        const history = await driver.history();
        checkHistory(history, sources);
        const partial = history.find((h) => !h.complete);
        if (partial)
          throw new MigrationError(
            'partial',
            `migration ${partial.id} stopped part-way: finish it with \`berth migrate up\`; baseline is for files never run`,
            partial.id,
          );
        if (options.to !== undefined && !sources.some((s) => s.id === options.to))
          throw new MigrationError('missing-file', `there is no migration ${options.to} to baseline up to`);
        const recorded = new Set(history.map((h) => h.id));
        const marked = sorted(sources).filter(
          (s) => !recorded.has(s.id) && (options.to === undefined || s.id <= options.to),
        );
        if (marked.length === 0) return { baselined: [] };
        const drift = diffSchema(entities, await driver.introspect(), driver.target, options);
        if (drift.steps.length > 0)
          throw new MigrationError(
            'drift',
            `the database differs from the entities, so it is not what ${marked.map((s) => s.id).join(', ')} would make; ` +
              `nothing was marked as applied: ${drift.steps.map((s) => `${s.table}: ${s.reason}`).join('; ')}`,
          );
        for (const source of marked) await driver.markApplied(source);
        return { baselined: marked.map((s) => s.id) };
      }, options.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS),
    options,
  );
}

/** Options of `migrateDown`. */
export type MigrateDownOptions = Omit<MigrateUpOptions, 'to'>;

/** What `migrateDown` did: the file it reverted, or undefined when none was applied. */
export interface MigrateDownResult {
  /** The id of the file reverted; undefined when no file was applied. */
  readonly reverted: string | undefined;
}

/**
 * Reverts the last applied file (the highest id in the history) by running its down part, holding the
 * migration lock, and removes it from the history so `up` applies it again. Refused with `MigrationError`
 * when the file declares no down (`'irreversible'`), when it stopped part-way (`'partial'`: finish it with
 * `up` first), or when an applied file was edited or is missing, as `up` refuses.
 */
export async function migrateDown(
  db: Database,
  sources: readonly MigrationSource[],
  options: MigrateDownOptions = {},
): Promise<MigrateDownResult> {
  return db.withMigrations(
    (driver) =>
      driver.withLock(async () => {
        const history = await driver.history();
        checkHistory(history, sources);
        const last = history.at(-1);
        if (!last) return { reverted: undefined };
        if (!last.complete)
          throw new MigrationError(
            'partial',
            `migration ${last.id} stopped part-way (${last.stepsDone} statements done): run \`berth migrate up\` to finish it before reverting it`,
            last.id,
          );
        const source = sources.find((s) => s.id === last.id)!;
        if (!driver.reversible(source))
          throw new MigrationError(
            'irreversible',
            `migration ${last.id} declares no down (a \`-- down\` section in a .sql file, an exported down(db) in a .mjs module): ` +
              'nothing was reverted; write a new migration that undoes it instead',
            last.id,
          );
        await driver.revert(source, options.progress);
        return { reverted: last.id };
      }, options.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS),
    options,
  );
}

/** Applied, pending, edited and missing files, and the drift between the entities and the live schema. */
export async function migrationStatus(
  db: Database,
  sources: readonly MigrationSource[],
  entities: readonly EntityMeta[],
  options: MigrationOptions & DiffOptions = {},
): Promise<MigrationStatus> {
  return db.withMigrations(async (driver) => {
    const applied = await driver.history();
    const byId = new Map(sources.map((s) => [s.id, s]));
    const done = new Set(applied.filter((a) => a.complete).map((a) => a.id));
    const drift = diffSchema(entities, await driver.introspect(), driver.target, options);
    return {
      applied,
      pending: sorted(sources)
        .filter((s) => !done.has(s.id))
        .map((s) => s.id),
      modified: applied
        .filter((a) => a.complete && byId.get(a.id) && byId.get(a.id)!.checksum !== a.checksum)
        .map((a) => a.id),
      missing: applied.filter((a) => !byId.has(a.id)).map((a) => a.id),
      drift,
    };
  }, options);
}

/** Options of `planMigration`. */
export interface PlanOptions extends DiffOptions, RenderOptions {
  /** Let destructive steps through (`--allow-destructive`); otherwise they raise `MigrationError`. */
  allowDestructive?: boolean;
}

/** A migration to write: the steps, the renames suspected, and the file text in the backend's format. */
export interface MigrationPlan extends SchemaDiff {
  /** The migrations folder of this backend (`postgres`, `mysql`, `mongodb`). */
  readonly flavour: string;
  /** The migration file's extension: `.sql`, or `.mjs` on MongoDB. */
  readonly extension: string;
  /** The file's text; empty steps give an empty string. */
  readonly text: string;
}

/**
 * Diffs the entities against the live schema and renders the migration file for this backend. Destructive
 * steps raise `MigrationError('destructive')`, naming each, unless `allowDestructive`; the file then marks
 * them. `title` goes in the file's header.
 */
export async function planMigration(
  db: Database,
  entities: readonly EntityMeta[],
  title: string,
  options: PlanOptions = {},
): Promise<MigrationPlan> {
  return db.withMigrations(async (driver) => {
    const diff = diffSchema(entities, await driver.introspect(), driver.target, options);
    const destructive = diff.steps.filter((s) => s.destructive);
    if (destructive.length > 0 && options.allowDestructive !== true) {
      const renames = diff.renames.map(
        (r) =>
          ` (${r.table}.${r.from} -> ${r.to} looks like a rename: add .renamedFrom('${r.from}') to the field)`,
      );
      throw new MigrationError(
        'destructive',
        `the migration would ${destructive.map((s) => s.reason).join('; ')}${renames.join('')}; ` +
          'pass --allow-destructive (allowDestructive) to generate it anyway',
      );
    }
    return {
      ...diff,
      flavour: driver.flavour,
      extension: driver.extension,
      text:
        diff.steps.length === 0 ? '' : driver.render(diff.steps, title, { online: options.online === true }),
    };
  });
}

/** A change split for a zero-downtime deploy (see `planSplitMigration`). */
export interface SplitMigrationPlan {
  /** Apply before deploying the new code: only steps the previous version keeps working with. */
  readonly expand: MigrationPlan;
  /** Apply once no instance of the previous version is left. */
  readonly contract: MigrationPlan;
}

/**
 * Like `planMigration`, split in two files for a deploy while the previous version still serves (see
 * `splitExpandContract`): the expand file, always rendered online (indexes built `CONCURRENTLY` on
 * PostgreSQL, `ALGORITHM=INPLACE, LOCK=NONE` on MySQL), and the contract file. Destructive steps are only
 * ever in contract, and still need `allowDestructive`. Either text is empty when its part has no step.
 */
export async function planSplitMigration(
  db: Database,
  entities: readonly EntityMeta[],
  titles: { expand: string; contract: string },
  options: PlanOptions = {},
): Promise<SplitMigrationPlan> {
  const whole = await planMigration(db, entities, titles.expand, { ...options, online: false });
  const { expand, contract } = splitExpandContract(whole.steps);
  return db.withMigrations(async (driver) => {
    const part = (steps: readonly MigrationStep[], title: string, online: boolean): MigrationPlan => ({
      steps,
      renames: whole.renames,
      flavour: driver.flavour,
      extension: driver.extension,
      text: steps.length === 0 ? '' : driver.render(steps, title, { online }),
    });
    return {
      expand: part(expand, titles.expand, true),
      contract: part(contract, titles.contract, options.online === true),
    };
  });
}
