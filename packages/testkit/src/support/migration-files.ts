import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type MigrationSource, migrationChecksum } from '@berth/core';

/**
 * A migration source from a file's text, as the CLI reads one: a SQL file is its text; a module (`.mjs`,
 * MongoDB) is written to a temporary file and imported, so the `up` run is the generated code itself.
 */
export async function sourceFromText(id: string, text: string, extension: string): Promise<MigrationSource> {
  const checksum = migrationChecksum(text);
  if (extension !== '.mjs') return { id, checksum, text };
  const dir = await mkdtemp(join(tmpdir(), 'berth-migration-'));
  const file = join(dir, `${id}.mjs`);
  await writeFile(file, text);
  const module = (await import(pathToFileURL(file).href)) as {
    up?: MigrationSource['up'];
    down?: MigrationSource['down'];
  };
  if (typeof module.up !== 'function') throw new Error(`${file} exports no up function`);
  return { id, checksum, text, up: module.up, ...(module.down ? { down: module.down } : {}) };
}
