import pg from 'pg';

/**
 * Checks a server that `scripts/scale-out/up.sh` starts (PgBouncer, the streaming replica): one connection
 * to `url` and `check` on it (`undefined`: usable, else why not). Returns why it cannot be used, or
 * `undefined`. Under CI=true an unusable server fails the run, never a silent skip; elsewhere the caller's
 * tests are skipped, with a line nobody can miss.
 */
export async function scaleOutServerProblem(
  what: string,
  url: string,
  check: (client: pg.Client) => Promise<string | undefined> = async () => undefined,
): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  let problem: string | undefined;
  try {
    await client.connect();
    problem = await check(client);
  } catch (error) {
    problem = (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
  if (problem === undefined) return undefined;
  const message = `${what} at ${new URL(url).host} is unusable (${problem}); start it with scripts/scale-out/up.sh`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the tests that need it must run)`);
  console.warn(`\n!!! @berth/postgres: ${message}\n!!! SKIPPING the tests that need it.\n`);
  return problem;
}
