import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MigrationError } from '../errors/migration-error.js';
import { migrationChecksum } from '../migration/checksum.js';
import type { MigrationSource } from '../migration/migration-driver.js';

/** `20261202T051500_add_phone.sql`: a UTC timestamp, a name, the backend's extension. */
const FILE_PATTERN = /^(\d{8}T\d{6}_[a-z0-9_]+)\.(sql|mjs)$/;

/** The folder of one backend's files: `<migrations>/<flavour>` (`postgres`, `mysql`, `mongodb`). */
export function flavourDir(migrationsDir: string, flavour: string): string {
  return join(migrationsDir, flavour);
}

/**
 * Reads the migration files of one backend, in id order: each file's text and checksum, and for modules
 * (`.mjs`) their `up` and `down` (if exported). A module without `up` is refused (`MigrationError('invalid-file')`).
 */
export async function readMigrationFiles(dir: string, extension: string): Promise<MigrationSource[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const sources: MigrationSource[] = [];
  for (const name of names.sort()) {
    const match = FILE_PATTERN.exec(name);
    if (!match || `.${match[2]}` !== extension) continue;
    const path = join(dir, name);
    const text = await readFile(path, 'utf8');
    const id = match[1]!;
    if (extension !== '.mjs') {
      sources.push({ id, checksum: migrationChecksum(text), text });
      continue;
    }
    const module = (await import(pathToFileURL(path).href)) as { up?: unknown; down?: unknown };
    if (typeof module.up !== 'function')
      throw new MigrationError('invalid-file', `${path} does not export an async function up(db)`, id);
    sources.push({
      id,
      checksum: migrationChecksum(text),
      text,
      up: module.up as MigrationSource['up'],
      ...(typeof module.down === 'function' ? { down: module.down as MigrationSource['down'] } : {}),
    });
  }
  return sources;
}

/** `YYYYMMDDTHHMMSS` in UTC: ids sort by time. */
export function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, '');
}

/** A file name part from a free-form name: lower case letters, digits, underscores. */
export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
  if (s === '') throw new MigrationError('invalid-file', `"${name}" is not a usable migration name`);
  return s;
}

/** Writes a new migration file and returns its path. */
export async function writeMigrationFile(
  dir: string,
  id: string,
  extension: string,
  text: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${id}${extension}`);
  await writeFile(path, text, { flag: 'wx' });
  return path;
}
