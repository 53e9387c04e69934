import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

/**
 * The TLS-only mariadbd `scripts/scale-out/tls.sh` starts (127.0.0.1:3312; `MARIADB_TLS_TEST_PORT`,
 * `BERTH_TLS_DIR` and `BERTH_TLS_PASSWORD` point the tests elsewhere): `require_secure_transport = ON`, a
 * server certificate for 127.0.0.1 and localhost (not 127.0.0.2, where it listens too), the users
 * `berth_tls` (password, REQUIRE SSL) and `berth_x509` (REQUIRE X509, the client certificate).
 */
export const TLS_PORT = Number(process.env.MARIADB_TLS_TEST_PORT ?? 3312);
export const TLS_DIR = process.env.BERTH_TLS_DIR ?? '/tmp/berth-tls';
export const TLS_PASSWORD = process.env.BERTH_TLS_PASSWORD ?? 'tls-Pw-9f3';
export const CERTS = {
  ca: join(TLS_DIR, 'certs/ca.pem'),
  otherCa: join(TLS_DIR, 'certs/other-ca.pem'),
  clientCert: join(TLS_DIR, 'certs/client.pem'),
  clientKey: join(TLS_DIR, 'certs/client.key'),
};

/** A URL of the TLS server's `berth_tls` database, as `user` (with the password for `berth_tls`). */
export function tlsUrl(params: Record<string, string> = {}, host = '127.0.0.1', user = 'berth_tls'): string {
  const url = new URL(`mysql://${user}@${host}:${TLS_PORT}/berth_tls`);
  if (user === 'berth_tls') url.password = TLS_PASSWORD;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/**
 * Why the TLS server cannot be used, or `undefined`. Under CI=true an unusable server fails the run, never
 * a silent skip; elsewhere the caller's tests are skipped, with a line nobody can miss.
 */
export async function tlsServerProblem(): Promise<string | undefined> {
  let problem: string | undefined;
  try {
    const connection = await createConnection({
      host: '127.0.0.1',
      port: TLS_PORT,
      user: 'berth_tls',
      password: TLS_PASSWORD,
      database: 'berth_tls',
      ssl: { rejectUnauthorized: false },
      connectTimeout: 5_000,
    });
    await connection.end();
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem === undefined) return undefined;
  const message = `the TLS-only MariaDB at 127.0.0.1:${TLS_PORT} is unusable (${problem}); start it with scripts/scale-out/up.sh`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the tests that need it must run)`);
  console.warn(`\n!!! @berth/mysql: ${message}\n!!! SKIPPING the tests that need it.\n`);
  return problem;
}
