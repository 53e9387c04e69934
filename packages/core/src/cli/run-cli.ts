/**
 * The `berth migrate` command line (diff, generate, up, down, status, baseline), callable in-process with an injected `CliIo`.
 *
 * @packageDocumentation
 * @module @berth/core/cli
 */
import { parseArgs } from 'node:util';
import { connect } from '../connect.js';
import type { Database } from '../database.js';
import { BerthError } from '../errors/berth-error.js';

import { ValidationError } from '../errors/validation-error.js';
import {
  migrateBaseline,
  migrateDown,
  migrateUp,
  migrationStatus,
  planMigration,
  planSplitMigration,
} from '../migration/migrate.js';
import type { MigrationStep } from '../migration/migration-step.js';
import { type LoadedConfig, loadConfig } from './cli-config.js';
import { flavourDir, readMigrationFiles, slug, timestamp, writeMigrationFile } from './migration-files.js';

/** How the CLI finds files, for programs and tests that apply them with `migrateUp` themselves. */
export { flavourDir, readMigrationFiles } from './migration-files.js';

/** Where the CLI reads and writes; `process` in the `berth` binary, something else in tests. */
export interface CliIo {
  /** The folder `berth.config` and the migrations folder are found from. */
  readonly cwd: string;
  /** The environment (`DATABASE_URL` and the like). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes one line of the command's output (stdout in the binary). */
  out(line: string): void;
  /** Writes one line of diagnostics (stderr in the binary). */
  err(line: string): void;
  /** The clock for file names (tests pass a fixed one). */
  now?(): Date;
  /** How adapters are loaded (`ConnectOptions.importAdapter`); default: from berth's and the app's location. */
  importAdapter?: (packageName: string) => Promise<unknown>;
}

/** The help text `berth --help` prints (and a wrong command prints to stderr). */
export const USAGE = `Usage: berth migrate <command> [options]

Commands:
  diff                  show how the database differs from the entities (--check: exit 1 if it does)
  generate <name>       write a migration file for those differences (--allow-destructive to include drops
                        and narrowing changes; --online for index builds that do not block writes;
                        --split for two files, <name>_expand (safe while the old code runs, online) and
                        <name>_contract (drops, renames, NOT NULL: once the old code is gone))
  up                    apply pending migrations, under a lock (--lock-timeout <ms>, default 60000;
                        --to <id> stops after that file, e.g. the expand file before a deploy)
  down                  revert the last applied migration, under the lock; only a file that declares its
                        down part (a \`-- down\` section in .sql, an exported down(db) in .mjs) can be reverted
  status                list applied, pending, edited and missing files, and drift (--check: exit 1 on any)
  baseline              adopt migrations on a database made by ensureSchema() or by hand: mark the files
                        (up to --to <id>) as applied without running them, only if the database matches
                        the entities; otherwise list the differences and mark nothing

Options:
  --config <file>       the config file (default berth.config.mjs or berth.config.js in the working directory)`;

function describe(step: MigrationStep): string {
  return `${step.destructive ? '!' : '+'} ${step.kind} ${step.table}: ${step.reason}`;
}

async function withDatabase<T>(
  io: CliIo,
  config: LoadedConfig,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await connect(config.url, {
    entities: config.entities,
    pool: { max: 1 },
    ...(io.importAdapter ? { importAdapter: io.importAdapter } : {}),
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function sourcesOf(db: Database, config: LoadedConfig) {
  const { flavour, extension } = await db.withMigrations(async (d) => ({
    flavour: d.flavour,
    extension: d.extension,
  }));
  const dir = flavourDir(config.migrationsDir, flavour);
  return { dir, extension, sources: await readMigrationFiles(dir, extension) };
}

/** `--lock-timeout`, checked: a whole number of milliseconds, or undefined for the default. */
function lockTimeoutOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!(Number.isInteger(ms) && ms >= 0))
    throw new ValidationError(`--lock-timeout must be a whole number of milliseconds`);
  return ms;
}

/**
 * Runs `berth` with these arguments; returns the exit code (0 success, 1 refused or failed, 2 usage).
 * Errors berth knows are printed as one message; others are rethrown.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'allow-destructive': { type: 'boolean' },
      online: { type: 'boolean' },
      split: { type: 'boolean' },
      to: { type: 'string' },
      check: { type: 'boolean' },
      'lock-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, ...rest] = positionals;
  if (values.help || group !== 'migrate' || !command) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const config = await loadConfig(io.cwd, io.env, values.config);
    const history = config.historyTable === undefined ? {} : { historyTable: config.historyTable };
    switch (command) {
      case 'diff':
        return await withDatabase(io, config, async (db) => {
          const status = await migrationStatus(db, [], config.entities, history);
          const { steps, renames } = status.drift;
          if (steps.length === 0) io.out('The database matches the entities.');
          for (const step of steps) io.out(describe(step));
          for (const r of renames)
            io.out(
              `? ${r.table}.${r.from} -> ${r.to} looks like a rename: add .renamedFrom('${r.from}') to the field`,
            );
          return values.check && steps.length > 0 ? 1 : 0;
        });
      case 'generate': {
        const name = rest[0];
        if (!name) {
          io.err('berth migrate generate needs a name, e.g. `berth migrate generate add_phone`');
          return 2;
        }
        const id = `${timestamp(io.now?.() ?? new Date())}_${slug(name)}`;
        return await withDatabase(io, config, async (db) => {
          const { dir, sources } = await sourcesOf(db, config);
          const status = await migrationStatus(db, sources, config.entities, history);
          if (status.pending.length > 0) {
            io.err(
              `${status.pending.length} migration(s) are not applied yet (${status.pending.join(', ')}): run \`berth migrate up\` first, so the new file does not repeat them`,
            );
            return 1;
          }
          const planOptions = {
            allowDestructive: values['allow-destructive'] === true,
            online: values.online === true,
          };
          if (values.split === true) {
            // The contract file's id sorts after the expand file's: one second later.
            const later = `${timestamp(new Date((io.now?.() ?? new Date()).getTime() + 1000))}_${slug(name)}`;
            const ids = { expand: `${id}_expand`, contract: `${later}_contract` };
            const split = await planSplitMigration(db, config.entities, ids, planOptions);
            for (const r of split.expand.renames)
              io.out(
                `? ${r.table}.${r.from} -> ${r.to} looks like a rename: add .renamedFrom('${r.from}') to the field`,
              );
            if (split.expand.steps.length + split.contract.steps.length === 0) {
              io.out('The database matches the entities: nothing to generate.');
              return 0;
            }
            for (const part of ['expand', 'contract'] as const) {
              const plan = split[part];
              if (plan.steps.length === 0) {
                io.out(`${part}: no step`);
                continue;
              }
              for (const step of plan.steps) io.out(`${part}: ${describe(step)}`);
              io.out(`Wrote ${await writeMigrationFile(dir, ids[part], plan.extension, plan.text)}`);
            }
            io.out(
              split.contract.steps.length === 0
                ? `Review it, then run \`berth migrate up\`.`
                : `Review them. Deploy: \`berth migrate up --to ${split.expand.steps.length === 0 ? '<none>' : ids.expand}\`, ` +
                    `roll out the new code, then \`berth migrate up\` once no old instance runs.`,
            );
            return 0;
          }
          const plan = await planMigration(db, config.entities, id, planOptions);
          for (const r of plan.renames)
            io.out(
              `? ${r.table}.${r.from} -> ${r.to} looks like a rename: add .renamedFrom('${r.from}') to the field`,
            );
          if (plan.steps.length === 0) {
            io.out('The database matches the entities: nothing to generate.');
            return 0;
          }
          for (const step of plan.steps) io.out(describe(step));
          const path = await writeMigrationFile(dir, id, plan.extension, plan.text);
          io.out(`Wrote ${path}: review it, then run \`berth migrate up\`.`);
          return 0;
        });
      }
      case 'down': {
        const lockTimeoutMs = lockTimeoutOf(values['lock-timeout']);
        return await withDatabase(io, config, async (db) => {
          const { sources } = await sourcesOf(db, config);
          const result = await migrateDown(db, sources, {
            ...history,
            ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
            progress: ({ id, step, steps, statement }) =>
              io.out(`${id} [down ${step}/${steps}] ${statement.split('\n')[0]!.slice(0, 100)}`),
          });
          io.out(
            result.reverted === undefined
              ? 'Nothing to revert: no migration is applied.'
              : `Reverted ${result.reverted}; \`berth migrate up\` applies it again.`,
          );
          return 0;
        });
      }
      case 'up': {
        const lockTimeoutMs = lockTimeoutOf(values['lock-timeout']);
        return await withDatabase(io, config, async (db) => {
          const { sources } = await sourcesOf(db, config);
          const started = Date.now();
          const result = await migrateUp(db, sources, {
            ...history,
            ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
            ...(values.to === undefined ? {} : { to: values.to }),
            progress: ({ id, step, steps, statement }) =>
              io.out(`${id} [${step}/${steps}] ${statement.split('\n')[0]!.slice(0, 100)}`),
          });
          io.out(
            result.applied.length === 0
              ? 'Nothing to apply: the database is up to date.'
              : `Applied ${result.applied.length} migration(s) in ${Date.now() - started} ms.`,
          );
          return 0;
        });
      }
      case 'baseline': {
        const lockTimeoutMs = lockTimeoutOf(values['lock-timeout']);
        return await withDatabase(io, config, async (db) => {
          const { sources } = await sourcesOf(db, config);
          const result = await migrateBaseline(db, sources, config.entities, {
            ...history,
            ...(lockTimeoutMs === undefined ? {} : { lockTimeoutMs }),
            ...(values.to === undefined ? {} : { to: values.to }),
          });
          for (const id of result.baselined) io.out(`baselined ${id} (marked as applied, not run)`);
          io.out(
            result.baselined.length === 0
              ? 'Nothing to baseline: every file is already recorded.'
              : `Marked ${result.baselined.length} migration(s) as applied; later files apply with \`berth migrate up\`.`,
          );
          return 0;
        });
      }
      case 'status':
        return await withDatabase(io, config, async (db) => {
          const { sources } = await sourcesOf(db, config);
          const status = await migrationStatus(db, sources, config.entities, history);
          for (const a of status.applied)
            io.out(
              `${a.complete ? 'applied ' : 'partial '} ${a.id}${a.complete ? '' : ` (${a.stepsDone} statements done)`}`,
            );
          for (const id of status.pending) io.out(`pending  ${id}`);
          for (const id of status.modified) io.out(`EDITED   ${id} (changed after it was applied)`);
          for (const id of status.missing) io.out(`MISSING  ${id} (applied, but its file is gone)`);
          for (const step of status.drift.steps) io.out(`drift    ${describe(step)}`);
          if (status.drift.steps.length === 0) io.out('The database matches the entities.');
          const bad = status.modified.length + status.missing.length + status.drift.steps.length;
          return values.check && bad > 0 ? 1 : 0;
        });
      default:
        io.err(`unknown command "migrate ${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (BerthError.is(error)) {
      io.err(`berth: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
