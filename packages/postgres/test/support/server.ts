import pg from 'pg';

/** The server the tests use (trust auth), without a database: `PG_TEST_URL` overrides it. */
export const SERVER_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** The database the package's tests create for themselves, and drop afterwards. */
export const TEST_DATABASE = `berth_postgres${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;

export function databaseUrl(database: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.href;
}

/** The test database's URL. */
export const TEST_URL = databaseUrl(TEST_DATABASE);

/**
 * Runs one statement on a short-lived plain pg client, outside berth: the tests' view of the server.
 * On the test database unless told otherwise.
 */
export async function rawQuery<R extends Record<string, unknown> = Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
  database = TEST_DATABASE,
): Promise<R[]> {
  const client = new pg.Client({
    connectionString: databaseUrl(database),
    application_name: 'berth_test_admin',
  });
  // A server that drops this client must fail the query, not crash the test process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end().catch(() => undefined);
  }
}
