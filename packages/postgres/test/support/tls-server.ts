import { join } from 'node:path';
import { scaleOutServerProblem } from './scale-out-server.js';

/**
 * The TLS-only PostgreSQL cluster `scripts/scale-out/tls.sh` starts (127.0.0.1:5434; `PG_TLS_TEST_PORT`,
 * `BERTH_TLS_DIR` and `BERTH_TLS_PASSWORD` point the tests elsewhere): `hostssl` lines only, a server
 * certificate for 127.0.0.1 and localhost (not 127.0.0.2, where it listens too), and a client certificate
 * for the `berth_cert` user.
 */
export const TLS_PORT = Number(process.env.PG_TLS_TEST_PORT ?? 5434);
export const TLS_DIR = process.env.BERTH_TLS_DIR ?? '/tmp/berth-tls';
export const TLS_PASSWORD = process.env.BERTH_TLS_PASSWORD ?? 'tls-Pw-9f3';
export const CERTS = {
  ca: join(TLS_DIR, 'certs/ca.pem'),
  otherCa: join(TLS_DIR, 'certs/other-ca.pem'),
  clientCert: join(TLS_DIR, 'certs/client.pem'),
  clientKey: join(TLS_DIR, 'certs/client.key'),
};

/** A URL of the TLS cluster's `berth_tls` database, as `user` (with the password for `berth_tls`). */
export function tlsUrl(params: Record<string, string> = {}, host = '127.0.0.1', user = 'berth_tls'): string {
  const url = new URL(`postgres://${user}@${host}:${TLS_PORT}/berth_tls`);
  if (user === 'berth_tls') url.password = TLS_PASSWORD;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/** Why the TLS cluster cannot be used, or `undefined` (fails under CI=true, see `scaleOutServerProblem`). */
export function tlsServerProblem(): Promise<string | undefined> {
  // pg's own `no-verify`: encrypted, unverified, enough to see the server is there.
  return scaleOutServerProblem('the TLS-only PostgreSQL cluster', tlsUrl({ sslmode: 'no-verify' }));
}
