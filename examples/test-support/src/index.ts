import { spawn } from 'node:child_process';
import { once } from 'node:events';
import pg from 'pg';

const SERVER = 'postgres://postgres@127.0.0.1:5432';

/**
 * The databases the example runs on in its test: embedded PGlite, and a fresh PostgreSQL database named
 * `name` (dropped and created). PostgreSQL that cannot be reached fails the run under CI=true; elsewhere
 * it is left out with a line nobody can miss.
 */
export async function databases(name: string): Promise<Array<{ backend: string; url: string }>> {
  const database = `${name}${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
  const client = new pg.Client({ connectionString: `${SERVER}/postgres`, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    console.warn(
      `\n!!!!!!!! example on PostgreSQL SKIPPED: ${SERVER} is not reachable (${error}) !!!!!!!!\n`,
    );
    return [{ backend: 'pglite', url: 'pglite://memory' }];
  } finally {
    await client.end().catch(() => undefined);
  }
  return [
    { backend: 'pglite', url: 'pglite://memory' },
    { backend: 'postgres', url: `${SERVER}/${database}` },
  ];
}

/** Runs `pnpm start` in the example's folder `dir`, as a reader would, and gives its exit code and output. */
export async function runStart(dir: string, env: Record<string, string>, limitMs = 120_000) {
  const child = spawn('pnpm', ['start'], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  // SIGTERM, which pnpm passes on to the program (a SIGKILL would leave it running without its parent).
  const timer = setTimeout(() => child.kill('SIGTERM'), limitMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return { code: code as number | null, output };
}
