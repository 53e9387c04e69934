import { connect, Database, sql, TlsError, ValidationError } from '@berth/core';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../../src/index.js';
import { CERTS, TLS_PASSWORD, tlsServerProblem, tlsUrl } from '../support/tls-server.js';

/**
 * berth over TLS against a real TLS-only PostgreSQL 15 (see `support/tls-server.ts`): verified
 * connections work, and each way a verification can fail is a `TlsError` naming its reason, with nothing
 * left open behind it.
 */
const importAdapter = () => import('../../src/index.js');
const TABLE = `tls_check${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const POOL = { max: 2, acquireTimeoutMs: 5_000, connectTimeoutMs: 3_000 };

/** What `connect()` threw. */
async function refusal(url: string): Promise<unknown> {
  return connect(url, { importAdapter, pool: POOL }).catch((e: unknown) => e);
}

function expectTlsError(error: unknown, reason: TlsError['reason']): void {
  expect(error).toBeInstanceOf(TlsError);
  const e = error as TlsError;
  expect(e.reason).toBe(reason);
  expect(e.code).toBe('TLS');
  expect(e.retryable).toBe(false);
  expect(e.message).toContain(reason);
  expect(e.message).not.toContain(TLS_PASSWORD);
  expect(String((e.cause as Error | undefined)?.message ?? '')).not.toContain(TLS_PASSWORD);
}

const problem = await tlsServerProblem();

describe.skipIf(problem !== undefined)('PostgreSQL over TLS (the TLS-only cluster)', () => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  async function open(url: string): Promise<Database> {
    const db = await connect(url, { importAdapter, pool: POOL });
    opened.push(db);
    return db;
  }

  it('verify-full against the CA file: a round trip over TLS, and a write read back', async () => {
    const db = await open(tlsUrl({ sslmode: 'verify-full', sslrootcert: CERTS.ca }));
    const [ssl] = await db.sql<{ ssl: boolean; version: string }>`
      SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
    expect(ssl).toMatchObject({ ssl: true });
    expect(ssl?.version).toMatch(/^TLSv1\.[23]$/);
    await db.execute`DROP TABLE IF EXISTS ${sql.id(TABLE)}`;
    await db.execute`CREATE TABLE ${sql.id(TABLE)} (id int PRIMARY KEY, note text)`;
    await db.execute`INSERT INTO ${sql.id(TABLE)} VALUES (${1}, ${'over TLS'})`;
    expect(await db.sql`SELECT id, note FROM ${sql.id(TABLE)}`).toEqual([{ id: 1, note: 'over TLS' }]);
    await db.execute`DROP TABLE ${sql.id(TABLE)}`;
  });

  it('verify-full by host name (localhost), with the tls option instead of the URL', async () => {
    const driver = new PostgresDriver({ url: tlsUrl({}, 'localhost'), tls: { caFile: CERTS.ca }, max: 2 });
    const db = await Database.open(driver);
    opened.push(db);
    expect(await db.sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('require: encrypted without verification, and verify-ca: the chain without the host name', async () => {
    const required = await open(tlsUrl({ sslmode: 'require' }, '127.0.0.2'));
    expect(await required.sql`SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()`).toEqual([
      { ssl: true },
    ]);
    // 127.0.0.2 is not in the certificate: verify-ca does not care, verify-full does (below).
    const chain = await open(tlsUrl({ sslmode: 'verify-ca', sslrootcert: CERTS.ca }, '127.0.0.2'));
    expect(await chain.sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('a client certificate authenticates the berth_cert user (cert auth, no password)', async () => {
    const db = await open(
      tlsUrl(
        { sslmode: 'verify-full', sslrootcert: CERTS.ca, sslcert: CERTS.clientCert, sslkey: CERTS.clientKey },
        '127.0.0.1',
        'berth_cert',
      ),
    );
    expect(await db.sql`SELECT current_user AS "user"`).toEqual([{ user: 'berth_cert' }]);
  });

  it('the wrong CA: TlsError certificate-untrusted', async () => {
    expectTlsError(
      await refusal(tlsUrl({ sslmode: 'verify-full', sslrootcert: CERTS.otherCa })),
      'certificate-untrusted',
    );
  });

  it('the system store, which does not hold the test CA: TlsError certificate-untrusted', async () => {
    expectTlsError(
      await refusal(tlsUrl({ sslmode: 'verify-full', sslrootcert: 'system' })),
      'certificate-untrusted',
    );
  });

  it('verify-full to an address the certificate does not name: TlsError host-name-mismatch', async () => {
    const error = await refusal(tlsUrl({ sslmode: 'verify-full', sslrootcert: CERTS.ca }, '127.0.0.2'));
    expectTlsError(error, 'host-name-mismatch');
    expect((error as Error).message).toContain('127.0.0.2');
  });

  it('plain TCP to the hostssl-only server: TlsError server-requires-tls', async () => {
    expectTlsError(await refusal(tlsUrl({ sslmode: 'disable' })), 'server-requires-tls');
  });

  it('cert auth without a client certificate: TlsError client-certificate-rejected', async () => {
    expectTlsError(
      await refusal(tlsUrl({ sslmode: 'verify-full', sslrootcert: CERTS.ca }, '127.0.0.1', 'berth_cert')),
      'client-certificate-rejected',
    );
  });

  it('verification asked without a CA is refused when the driver is made, before any connection', async () => {
    for (const sslmode of ['verify-ca', 'verify-full']) {
      expectTlsError(await refusal(tlsUrl({ sslmode })), 'ca-missing');
    }
    expect(() => new PostgresDriver({ url: tlsUrl(), tls: { mode: 'verify-ca' } })).toThrow(/ca-missing/);
    // The option overrides the URL field by field: here the URL's CA is kept, so this one is fine.
    expect(
      () => new PostgresDriver({ url: tlsUrl({ sslrootcert: CERTS.ca }), tls: { mode: 'verify-full' } }),
    ).not.toThrow();
    expectTlsError(
      await refusal(tlsUrl({ sslmode: 'verify-full', sslrootcert: '/nonexistent/ca.pem' })),
      'unreadable-file',
    );
    for (const sslmode of ['allow', 'prefer']) {
      const error = await refusal(tlsUrl({ sslmode }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain('falls back to plain TCP');
    }
  });

  it('leaves no connection behind after TLS failures, and the driver still works once told right', async () => {
    const driver = new PostgresDriver({
      url: tlsUrl({ sslmode: 'verify-full', sslrootcert: CERTS.otherCa }),
      max: 2,
    });
    await driver.open({ onCreate() {}, onDestroy() {}, onError() {} });
    try {
      for (let i = 0; i < 5; i++) {
        const error = await driver.acquire().catch((e: unknown) => e);
        expectTlsError(error, 'certificate-untrusted');
      }
      expect(driver.nativeStats()).toEqual({ total: 0, idle: 0 });
    } finally {
      await driver.close();
    }
    const db = await connect(tlsUrl({ sslmode: 'verify-full', sslrootcert: CERTS.otherCa }), {
      importAdapter,
      lazy: true,
      pool: POOL,
    });
    try {
      for (let i = 0; i < 3; i++)
        expectTlsError(await db.ping().catch((e: unknown) => e), 'certificate-untrusted');
      expect(db.pool.stats()).toMatchObject({ total: 0, inUse: 0, waiting: 0 });
    } finally {
      await db.close();
    }
  });
});

if (problem !== undefined) {
  describe('PostgreSQL over TLS', () => {
    it.skip(`SKIPPED: the TLS-only cluster is unusable (${problem})`, () => undefined);
  });
}
