import { join } from 'node:path';

/** The files the TLS server's setup made (`scripts/scale-out/tls.sh`): PEM paths. */
export interface TlsCertificates {
  /** The CA that signed the server's certificate (for 127.0.0.1 and localhost, not 127.0.0.2). */
  readonly ca: string;
  /** Another CA, which signed nothing the server shows. */
  readonly otherCa: string;
  /** The client certificate of the certificate-authenticated user. */
  readonly clientCert: string;
  /** Its key. */
  readonly clientKey: string;
}

/** A TLS-only test server `scripts/scale-out/tls.sh` starts, as the TLS cases reach it (`tlsTestServer`). */
export interface TlsTestServer {
  /** The port it listens on, at 127.0.0.1 and 127.0.0.2. */
  readonly port: number;
  /** The password of the `berth_tls` user. */
  readonly password: string;
  /** The certificate files the setup made. */
  readonly certs: TlsCertificates;
  /**
   * A URL of the `berth_tls` database as `user` (with the password for `berth_tls`), at `host`, with
   * `params` in its query.
   */
  url(params?: Record<string, string>, host?: string, user?: string): string;
}

/**
 * The TLS-only server of a SQL backend that `scripts/scale-out/tls.sh` starts: a server certificate for
 * 127.0.0.1 and localhost (not 127.0.0.2, where it listens too), signed by the CA in `BERTH_TLS_DIR`
 * (default `/tmp/berth-tls`), which also holds another CA and a client certificate; the user `berth_tls`
 * has the password `BERTH_TLS_PASSWORD`.
 */
export function tlsTestServer(scheme: 'postgres' | 'mysql', port: number): TlsTestServer {
  const dir = process.env.BERTH_TLS_DIR ?? '/tmp/berth-tls';
  const password = process.env.BERTH_TLS_PASSWORD ?? 'tls-Pw-9f3';
  return {
    port,
    password,
    certs: {
      ca: join(dir, 'certs/ca.pem'),
      otherCa: join(dir, 'certs/other-ca.pem'),
      clientCert: join(dir, 'certs/client.pem'),
      clientKey: join(dir, 'certs/client.key'),
    },
    url(params = {}, host = '127.0.0.1', user = 'berth_tls') {
      const url = new URL(`${scheme}://${user}@${host}:${port}/berth_tls`);
      if (user === 'berth_tls') url.password = password;
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      return url.href;
    },
  };
}

/**
 * Reports a server the tests need that cannot be used and returns `problem`: under CI=true it throws (the
 * tests that need it must run, never a silent skip); elsewhere it warns with a line nobody can miss, and
 * the caller skips those tests.
 */
export function unusableServer(adapter: string, message: string, problem: string): string {
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the tests that need it must run)`);
  console.warn(`\n!!! ${adapter}: ${message}\n!!! SKIPPING the tests that need it.\n`);
  return problem;
}
