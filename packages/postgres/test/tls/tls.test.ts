import { runTlsCases } from '@berth/testkit';
import { PostgresDriver } from '../../src/index.js';
import { TLS_SERVER, tlsServerProblem } from '../support/tls-server.js';

/**
 * berth over TLS against a real TLS-only PostgreSQL 15 (see `support/tls-server.ts`): the shared cases of
 * `runTlsCases`, in libpq's URL parameters. PostgreSQL says why it refuses a connection, so every refusal
 * is a `TlsError` with its reason.
 */
const SSLMODE = {
  disable: 'disable',
  require: 'require',
  'verify-ca': 'verify-ca',
  'verify-full': 'verify-full',
};

runTlsCases({
  title: 'PostgreSQL over TLS (the TLS-only cluster)',
  unusable: await tlsServerProblem(),
  importAdapter: () => import('../../src/index.js'),
  server: TLS_SERVER,
  params({ mode, ca, cert, key }) {
    const params: Record<string, string> = {};
    if (mode) params.sslmode = SSLMODE[mode];
    if (ca) params.sslrootcert = ca;
    if (cert) params.sslcert = cert;
    if (key) params.sslkey = key;
    return params;
  },
  modeName: (mode) => SSLMODE[mode],
  driver: (host, tls, url = TLS_SERVER.url({}, host)) => new PostgresDriver({ url, tls, max: 2 }),
  async session(db) {
    const [row] = await db.sql<{ ssl: boolean; version: string | null }>`
      SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
    return { encrypted: row?.ssl === true, version: row?.version ?? undefined };
  },
  certUser: { name: 'berth_cert', currentUser: 'berth_cert' },
  async currentUser(db) {
    return (await db.sql<{ user: string }>`SELECT current_user AS "user"`)[0]!.user;
  },
  systemStore: [{ sslmode: 'verify-full', sslrootcert: 'system' }],
  fallbackModes: [{ sslmode: 'allow' }, { sslmode: 'prefer' }],
  plainRefused: { tlsReason: 'server-requires-tls' },
  withoutClientCertRefused: { tlsReason: 'client-certificate-rejected' },
  optionMergesWithUrl: true,
});
