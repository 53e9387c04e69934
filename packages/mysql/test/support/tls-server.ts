import { tlsTestServer, unusableServer } from '@berth/testkit';
import { createConnection } from 'mysql2/promise';

/**
 * The TLS-only mariadbd `scripts/scale-out/tls.sh` starts (127.0.0.1:3312; `MARIADB_TLS_TEST_PORT`,
 * `BERTH_TLS_DIR` and `BERTH_TLS_PASSWORD` point the tests elsewhere): `require_secure_transport = ON`, the
 * users `berth_tls` (password, REQUIRE SSL) and `berth_x509` (REQUIRE X509, the client certificate; see
 * `tlsTestServer`).
 */
export const TLS_SERVER = tlsTestServer('mysql', Number(process.env.MARIADB_TLS_TEST_PORT ?? 3312));

/**
 * Why the TLS server cannot be used, or `undefined`. Under CI=true an unusable server fails the run, never
 * a silent skip; elsewhere the caller's tests are skipped, with a line nobody can miss.
 */
export async function tlsServerProblem(): Promise<string | undefined> {
  try {
    const connection = await createConnection({
      host: '127.0.0.1',
      port: TLS_SERVER.port,
      user: 'berth_tls',
      password: TLS_SERVER.password,
      database: 'berth_tls',
      ssl: { rejectUnauthorized: false },
      connectTimeout: 5_000,
    });
    await connection.end();
    return undefined;
  } catch (error) {
    const problem = (error as Error).message;
    const message = `the TLS-only MariaDB at 127.0.0.1:${TLS_SERVER.port} is unusable (${problem}); start it with scripts/scale-out/up.sh`;
    return unusableServer('@berth/mysql', message, problem);
  }
}
