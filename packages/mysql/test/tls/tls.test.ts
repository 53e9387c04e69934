import { runTlsCases } from '@berth/testkit';
import { MysqlDriver } from '../../src/index.js';
import { parseMysqlUrl } from '../../src/mysql-url.js';
import { TLS_SERVER, tlsServerProblem } from '../support/tls-server.js';

/**
 * berth over TLS against a real TLS-only mariadbd (see `support/tls-server.ts`): the shared cases of
 * `runTlsCases`, in MySQL's `ssl-mode` URL parameters. MariaDB answers plain TCP to a TLS-only user, and a
 * REQUIRE X509 user without a certificate, with "access denied" (1045), as for a wrong password: no
 * `TlsError` can be told apart there, and the error says the connection was plain.
 */
const SSL_MODE = {
  disable: 'DISABLED',
  require: 'REQUIRED',
  'verify-ca': 'VERIFY_CA',
  'verify-full': 'VERIFY_IDENTITY',
};

runTlsCases({
  title: 'MariaDB over TLS (the TLS-only mariadbd)',
  unusable: await tlsServerProblem(),
  importAdapter: () => import('../../src/index.js'),
  server: TLS_SERVER,
  params({ mode, ca, cert, key }) {
    const params: Record<string, string> = {};
    if (mode) params['ssl-mode'] = SSL_MODE[mode];
    if (ca) params['ssl-ca'] = ca;
    if (cert) params['ssl-cert'] = cert;
    if (key) params['ssl-key'] = key;
    return params;
  },
  modeName: (mode) => SSL_MODE[mode],
  driver: (host, tls, url) =>
    new MysqlDriver({
      ...(url ? parseMysqlUrl(url) : {}),
      host,
      port: TLS_SERVER.port,
      user: 'berth_tls',
      password: TLS_SERVER.password,
      database: 'berth_tls',
      max: 2,
      tls,
    }),
  async session(db) {
    const [row] = await db.sql<{ Value: string }>`SHOW SESSION STATUS LIKE 'Ssl_version'`;
    return { encrypted: Boolean(row?.Value), version: row?.Value || undefined };
  },
  certUser: { name: 'berth_x509', currentUser: 'berth_x509@127.0.0.%' },
  async currentUser(db) {
    return (await db.sql<{ user: string }>`SELECT CURRENT_USER() AS user`)[0]!.user;
  },
  systemStore: [{ 'ssl-mode': 'VERIFY_CA', 'ssl-ca': 'system' }, { ssl: 'true' }],
  fallbackModes: [{ 'ssl-mode': 'PREFERRED' }],
  plainRefused: { driverCode: 1045, message: 'over plain TCP' },
  withoutClientCertRefused: { driverCode: 1045, message: "Access denied for user 'berth_x509'" },
  optionMergesWithUrl: false,
});
