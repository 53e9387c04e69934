import { access } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Entity } from '../entity/define-entity.js';
import { ValidationError } from '../errors/validation-error.js';

/** The config files `berth` looks for in the working directory, in order. */
export const CONFIG_FILES = ['berth.config.mjs', 'berth.config.js'] as const;

/**
 * The shape of `berth.config.mjs` (its default export). Example:
 * ```js
 * export default {
 *   entities: ['./dist/entities.js'],  // modules whose exported entities are the schema
 *   migrations: './migrations',        // default; files go in ./migrations/<postgres|mysql|mongodb>/
 * };                                   // the database: `url`, else the DATABASE_URL environment variable
 * ```
 */
export interface BerthConfig {
  /** Entity modules (paths relative to the config file; every exported entity counts), or entities. */
  entities: ReadonlyArray<string | Entity>;
  /** The database URL; default `DATABASE_URL` from the environment. */
  url?: string;
  /** The migrations folder, relative to the config file (default `./migrations`). */
  migrations?: string;
  /** The history table (collection), default `berth_migrations`. */
  historyTable?: string;
}

/** A loaded config: entities imported, paths absolute, the URL settled. */
export interface LoadedConfig {
  readonly entities: readonly Entity[];
  readonly url: string;
  readonly migrationsDir: string;
  readonly historyTable: string | undefined;
}

function isEntity(value: unknown): value is Entity {
  const v = value as Partial<Entity> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    Array.isArray(v.fieldNames) &&
    typeof v.fields === 'object' &&
    Array.isArray(v.indexes)
  );
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Finds and loads the config (`--config`, else `berth.config.mjs` / `.js` in `cwd`), imports its entity
 * modules, and settles the URL (`url`, else `DATABASE_URL`). Throws `ValidationError` naming what is wrong.
 */
export async function loadConfig(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  configPath?: string,
): Promise<LoadedConfig> {
  let file: string | undefined;
  if (configPath) file = resolve(cwd, configPath);
  else {
    for (const name of CONFIG_FILES) if (await exists(resolve(cwd, name))) file = resolve(cwd, name);
  }
  if (!file || !(await exists(file)))
    throw new ValidationError(
      `no berth config found: create ${CONFIG_FILES[0]} exporting { entities: ['./path/to/entities.js'] } (see docs/migrations.md), or pass --config`,
    );
  const config = ((await import(pathToFileURL(file).href)) as { default?: BerthConfig }).default;
  if (!config || !Array.isArray(config.entities))
    throw new ValidationError(`${file}: the default export must be { entities: [...] }`);
  const base = dirname(file);
  const entities: Entity[] = [];
  for (const item of config.entities) {
    if (isEntity(item)) {
      entities.push(item);
      continue;
    }
    if (typeof item !== 'string')
      throw new ValidationError(`${file}: entities must list module paths or entities`);
    const path = isAbsolute(item) ? item : resolve(base, item);
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const found = Object.values(module).filter(isEntity);
    if (found.length === 0) throw new ValidationError(`${path} exports no entity`);
    entities.push(...found);
  }
  const unique = [...new Map(entities.map((e) => [e.name, e])).values()];
  const url = config.url ?? env.DATABASE_URL;
  if (!url) throw new ValidationError(`no database URL: set DATABASE_URL or \`url\` in ${file}`);
  return {
    entities: unique,
    url,
    migrationsDir: resolve(base, config.migrations ?? './migrations'),
    historyTable: config.historyTable,
  };
}
