import { tlsTestServer } from '@berth/testkit';
import { scaleOutServerProblem } from './scale-out-server.js';

/**
 * The TLS-only PostgreSQL cluster `scripts/scale-out/tls.sh` starts (127.0.0.1:5434; `PG_TLS_TEST_PORT`,
 * `BERTH_TLS_DIR` and `BERTH_TLS_PASSWORD` point the tests elsewhere): `hostssl` lines only, and a client
 * certificate for the `berth_cert` user (see `tlsTestServer`).
 */
export const TLS_SERVER = tlsTestServer('postgres', Number(process.env.PG_TLS_TEST_PORT ?? 5434));

/** Why the TLS cluster cannot be used, or `undefined` (fails under CI=true, see `scaleOutServerProblem`). */
export function tlsServerProblem(): Promise<string | undefined> {
  // pg's own `no-verify`: encrypted, unverified, enough to see the server is there.
  return scaleOutServerProblem('the TLS-only PostgreSQL cluster', TLS_SERVER.url({ sslmode: 'no-verify' }));
}
