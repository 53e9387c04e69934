import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@berth/core/cli';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl, rawQuery } from './support/server.js';

// The `berth` CLI end to end on a database of its own: each command connects, works and closes, as the
// binary does. Entity modules are this folder's TypeScript files (vitest imports them); the adapter is
// loaded from this package's sources.
const here = fileURLToPath(new URL('.', import.meta.url));
const DATABASE = `berth_cli${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const SPLIT_DATABASE = `berth_cli_split${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const BASELINE_DATABASE = `berth_cli_base${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
let dir: string;

async function berth(...argv: string[]) {
  return berthOn(DATABASE, ...argv);
}

async function berthOn(database: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    cwd: dir,
    env: { DATABASE_URL: databaseUrl(database) },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    importAdapter: () => import('../src/index.js'),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function useEntities(version: 'v1' | 'v2' | 'split-v1' | 'split-v2') {
  const config = `export default { entities: [${JSON.stringify(join(here, 'cli', `entities-${version}.ts`))}] };\n`;
  await writeFile(join(dir, `berth.${version}.mjs`), config);
  return ['--config', `berth.${version}.mjs`];
}

describe.runIf(inject('postgresAvailable'))('berth migrate (CLI, PostgreSQL)', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-cli-'));
    await rawQuery(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`, [], 'postgres');
    await rawQuery(`CREATE DATABASE ${DATABASE}`, [], 'postgres');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rawQuery(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`, [], 'postgres');
    await rawQuery(`DROP DATABASE IF EXISTS ${SPLIT_DATABASE} WITH (FORCE)`, [], 'postgres');
    await rawQuery(`DROP DATABASE IF EXISTS ${BASELINE_DATABASE} WITH (FORCE)`, [], 'postgres');
  });

  it('baseline marks the files of a database made by hand as applied, and refuses while it differs', async () => {
    await rawQuery(`DROP DATABASE IF EXISTS ${BASELINE_DATABASE} WITH (FORCE)`, [], 'postgres');
    await rawQuery(`CREATE DATABASE ${BASELINE_DATABASE}`, [], 'postgres');
    const config = `export default { entities: [${JSON.stringify(join(here, 'cli', 'entities-v1.ts'))}], migrations: './baseline-migrations' };\n`;
    await writeFile(join(dir, 'berth.baseline.mjs'), config);
    const options = ['--config', 'berth.baseline.mjs'];
    expect((await berthOn(BASELINE_DATABASE, 'migrate', 'generate', 'init', ...options)).code).toBe(0);
    const [file] = await readdir(join(dir, 'baseline-migrations', 'postgres'));

    // The table does not exist yet: nothing is marked, and the difference is named.
    const refused = await berthOn(BASELINE_DATABASE, 'migrate', 'baseline', ...options);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('table cli_contacts does not exist');
    expect((await berthOn(BASELINE_DATABASE, 'migrate', 'status', ...options)).out).toContain('pending');

    // The schema made by hand (here: the file's own statements, run outside berth), with a row.
    const sql = await readFile(join(dir, 'baseline-migrations', 'postgres', file!), 'utf8');
    for (const statement of sql.split(/;\s*\n/).filter((s) => s.replace(/--.*$/gm, '').trim() !== ''))
      await rawQuery(statement, [], BASELINE_DATABASE);
    await rawQuery(
      `INSERT INTO cli_contacts (id, email, age) VALUES ('k1', 'ada@example.com', 36)`,
      [],
      BASELINE_DATABASE,
    );
    const baseline = await berthOn(BASELINE_DATABASE, 'migrate', 'baseline', ...options);
    expect(baseline.code).toBe(0);
    expect(baseline.out).toContain(`baselined ${file!.slice(0, -4)} (marked as applied, not run)`);
    expect((await berthOn(BASELINE_DATABASE, 'migrate', 'status', '--check', ...options)).code).toBe(0);
    expect((await berthOn(BASELINE_DATABASE, 'migrate', 'up', ...options)).out).toContain('Nothing to apply');
    expect(await rawQuery('SELECT email FROM cli_contacts', [], BASELINE_DATABASE)).toEqual([
      { email: 'ada@example.com' },
    ]);
  });

  it('generate --split writes an expand file and a contract file; up --to applies expand alone', async () => {
    await rawQuery(`DROP DATABASE IF EXISTS ${SPLIT_DATABASE} WITH (FORCE)`, [], 'postgres');
    await rawQuery(`CREATE DATABASE ${SPLIT_DATABASE}`, [], 'postgres');
    // One config file per entity version: an imported module is cached by its URL.
    let config = 'berth.split1.mjs';
    const cli = (...argv: string[]) => berthOn(SPLIT_DATABASE, ...argv, '--config', config);
    await writeFile(
      join(dir, config),
      `export default { entities: [${JSON.stringify(join(here, 'cli', 'entities-split-v1.ts'))}], historyTable: 'berth_split', migrations: './split' };\n`,
    );
    expect((await cli('migrate', 'generate', 'accounts')).code).toBe(0);
    expect((await cli('migrate', 'up')).code).toBe(0);
    config = 'berth.split2.mjs';
    await writeFile(
      join(dir, config),
      `export default { entities: [${JSON.stringify(join(here, 'cli', 'entities-split-v2.ts'))}], historyTable: 'berth_split', migrations: './split' };\n`,
    );
    const generated = await cli('migrate', 'generate', 'region', '--split', '--allow-destructive');
    expect(generated.code).toBe(0);
    expect(generated.out).toContain('expand: + addColumn cli_accounts');
    expect(generated.out).toContain('contract: ! dropColumn cli_accounts');
    const files = (await readdir(join(dir, 'split', 'postgres'))).sort();
    expect(files).toEqual([
      expect.stringMatching(/_accounts\.sql$/),
      expect.stringMatching(/_region_expand\.sql$/),
      expect.stringMatching(/_region_contract\.sql$/),
    ]);
    const expandId = files[1]!.slice(0, -4);
    expect(generated.out).toContain(`berth migrate up --to ${expandId}`);
    const expandText = await readFile(join(dir, 'split', 'postgres', files[1]!), 'utf8');
    expect(expandText).toContain('CREATE INDEX CONCURRENTLY "cli_accounts_region_idx"');
    const up = await cli('migrate', 'up', '--to', expandId);
    expect(up.out).toContain('Applied 1 migration(s)');
    const status = await cli('migrate', 'status');
    expect(status.out).toContain(`pending  ${files[2]!.slice(0, -4)}`);
    expect(status.out).toContain('drift    ! dropColumn cli_accounts');
    expect((await cli('migrate', 'up')).out).toContain('Applied 1 migration(s)');
    expect((await cli('migrate', 'status', '--check')).code).toBe(0);
  });

  it('refuses without a config, and prints usage for an unknown command', async () => {
    const missing = await berth('migrate', 'status');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no berth config found');
    const unknown = await berth('migrate', 'sideways', ...(await useEntities('v1')));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Usage: berth migrate');
  });

  it('walks a new user from a changed entity to an applied migration', async () => {
    const v1 = await useEntities('v1');
    const diff = await berth('migrate', 'diff', '--check', ...v1);
    expect(diff.code).toBe(1);
    expect(diff.out).toContain('+ createTable cli_contacts');

    const init = await berth('migrate', 'generate', 'init', ...v1);
    expect(init.code).toBe(0);
    const files = await readdir(join(dir, 'migrations', 'postgres'));
    expect(files).toEqual([expect.stringMatching(/^\d{8}T\d{6}_init\.sql$/)]);
    const sql = await readFile(join(dir, 'migrations', 'postgres', files[0]!), 'utf8');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "cli_contacts"');

    // A second file before the first is applied would repeat it.
    const early = await berth('migrate', 'generate', 'again', ...v1);
    expect(early.code).toBe(1);
    expect(early.err).toContain('not applied yet');

    const up = await berth('migrate', 'up', ...v1);
    expect(up.code).toBe(0);
    expect(up.out).toContain('Applied 1 migration(s)');
    expect((await berth('migrate', 'diff', '--check', ...v1)).code).toBe(0);
    expect((await berth('migrate', 'up', ...v1)).out).toContain('Nothing to apply');

    // v2 drops a column: refused without the flag, marked in the file with it.
    const v2 = await useEntities('v2');
    const refused = await berth('migrate', 'generate', 'phone', ...v2);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('column age is not declared');
    expect(refused.err).toContain('--allow-destructive');
    const generated = await berth('migrate', 'generate', 'phone', '--allow-destructive', ...v2);
    expect(generated.code).toBe(0);
    expect(generated.out).toContain('! dropColumn cli_contacts');
    const second = (await readdir(join(dir, 'migrations', 'postgres'))).find((f) =>
      f.endsWith('_phone.sql'),
    )!;
    expect(await readFile(join(dir, 'migrations', 'postgres', second), 'utf8')).toContain('-- DESTRUCTIVE');
    expect((await berth('migrate', 'up', ...v2)).code).toBe(0);
    const status = await berth('migrate', 'status', '--check', ...v2);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/applied {2}\d{8}T\d{6}_init\napplied {2}\d{8}T\d{6}_phone/);

    // down: refused for a generated file that declares none; a hand-written `-- down` section reverts.
    const irreversible = await berth('migrate', 'down', ...v2);
    expect(irreversible.code).toBe(1);
    expect(irreversible.err).toContain(`migration ${second.slice(0, -4)} declares no down`);
    const notes = '20990101T000000_notes';
    await writeFile(
      join(dir, 'migrations', 'postgres', `${notes}.sql`),
      'CREATE TABLE cli_notes (id integer PRIMARY KEY);\n-- down\nDROP TABLE cli_notes;\n',
    );
    expect((await berth('migrate', 'up', ...v2)).out).toContain('Applied 1 migration(s)');
    const down = await berth('migrate', 'down', ...v2);
    expect(down.code).toBe(0);
    expect(down.out).toContain(`${notes} [down 1/1] DROP TABLE cli_notes`);
    expect(down.out).toContain(`Reverted ${notes}`);
    expect((await berth('migrate', 'status', ...v2)).out).toContain(`pending  ${notes}`);
    await rm(join(dir, 'migrations', 'postgres', `${notes}.sql`));

    // An applied file edited afterwards is refused, and status says so.
    const first = join(dir, 'migrations', 'postgres', files[0]!);
    await writeFile(first, `${sql}-- edited\n`);
    const edited = await berth('migrate', 'up', ...v2);
    expect(edited.code).toBe(1);
    expect(edited.err).toContain('was edited after it was applied');
    const flagged = await berth('migrate', 'status', '--check', ...v2);
    expect(flagged.code).toBe(1);
    expect(flagged.out).toContain('EDITED');
  });
});
