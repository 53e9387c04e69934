import {
  connect,
  Database,
  DatabaseError,
  DatabaseUnreachableError,
  sql,
  TlsError,
  ValidationError,
} from '@berth/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MysqlDriver } from '../../src/index.js';
import { CERTS, TLS_PASSWORD, TLS_PORT, tlsServerProblem, tlsUrl } from '../support/tls-server.js';

/**
 * berth over TLS against a real TLS-only mariadbd (see `support/tls-server.ts`): verified connections
 * work, and each way a verification can fail is a `TlsError` naming its reason, with nothing left open
 * behind it.
 */
const importAdapter = () => import('../../src/index.js');
const TABLE = `tls_check${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const POOL = { max: 2, acquireTimeoutMs: 5_000, connectTimeoutMs: 3_000 };

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

describe.skipIf(problem !== undefined)('MariaDB over TLS (the TLS-only mariadbd)', () => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  async function open(url: string): Promise<Database> {
    const db = await connect(url, { importAdapter, pool: POOL });
    opened.push(db);
    return db;
  }

  it('VERIFY_IDENTITY against the CA file: a round trip over TLS, and a write read back', async () => {
    const db = await open(tlsUrl({ 'ssl-mode': 'VERIFY_IDENTITY', 'ssl-ca': CERTS.ca }));
    const [cipher] = await db.sql<{ Value: string }>`SHOW SESSION STATUS LIKE 'Ssl_version'`;
    expect(cipher?.Value).toMatch(/^TLSv1\.[23]$/);
    await db.execute`DROP TABLE IF EXISTS ${sql.id(TABLE)}`;
    await db.execute`CREATE TABLE ${sql.id(TABLE)} (id int PRIMARY KEY, note varchar(40))`;
    await db.execute`INSERT INTO ${sql.id(TABLE)} VALUES (${1}, ${'over TLS'})`;
    expect(await db.sql`SELECT id, note FROM ${sql.id(TABLE)}`).toEqual([{ id: 1, note: 'over TLS' }]);
    await db.execute`DROP TABLE ${sql.id(TABLE)}`;
  });

  it('VERIFY_IDENTITY by host name (localhost), with the tls option instead of the URL', async () => {
    const driver = new MysqlDriver({
      host: 'localhost',
      port: TLS_PORT,
      user: 'berth_tls',
      password: TLS_PASSWORD,
      database: 'berth_tls',
      max: 2,
      tls: { caFile: CERTS.ca },
    });
    const db = await Database.open(driver);
    opened.push(db);
    expect(await db.sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('REQUIRED: encrypted without verification, and VERIFY_CA: the chain without the host name', async () => {
    const required = await open(tlsUrl({ 'ssl-mode': 'REQUIRED' }, '127.0.0.2'));
    const [status] = await required.sql<{ Value: string }>`SHOW SESSION STATUS LIKE 'Ssl_version'`;
    expect(status?.Value).toMatch(/^TLSv1\.[23]$/);
    // 127.0.0.2 is not in the certificate: VERIFY_CA does not care, VERIFY_IDENTITY does (below).
    const chain = await open(tlsUrl({ 'ssl-mode': 'VERIFY_CA', 'ssl-ca': CERTS.ca }, '127.0.0.2'));
    expect(await chain.sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('a client certificate authenticates the berth_x509 user (REQUIRE X509, no password)', async () => {
    const db = await open(
      tlsUrl(
        {
          'ssl-mode': 'VERIFY_IDENTITY',
          'ssl-ca': CERTS.ca,
          'ssl-cert': CERTS.clientCert,
          'ssl-key': CERTS.clientKey,
        },
        '127.0.0.1',
        'berth_x509',
      ),
    );
    expect(await db.sql`SELECT CURRENT_USER() AS user`).toEqual([{ user: 'berth_x509@127.0.0.%' }]);
  });

  it('the wrong CA: TlsError certificate-untrusted', async () => {
    expectTlsError(
      await refusal(tlsUrl({ 'ssl-mode': 'VERIFY_IDENTITY', 'ssl-ca': CERTS.otherCa })),
      'certificate-untrusted',
    );
  });

  it('the system store, which does not hold the test CA: TlsError certificate-untrusted', async () => {
    expectTlsError(
      await refusal(tlsUrl({ 'ssl-mode': 'VERIFY_CA', 'ssl-ca': 'system' })),
      'certificate-untrusted',
    );
    expectTlsError(await refusal(tlsUrl({ ssl: 'true' })), 'certificate-untrusted');
  });

  it('VERIFY_IDENTITY to an address the certificate does not name: TlsError host-name-mismatch', async () => {
    // mysql2 alone would check 127.0.0.2 against "localhost", which the certificate names: berth checks the address.
    const error = await refusal(tlsUrl({ 'ssl-mode': 'VERIFY_IDENTITY', 'ssl-ca': CERTS.ca }, '127.0.0.2'));
    expectTlsError(error, 'host-name-mismatch');
    expect((error as Error).message).toContain('127.0.0.2');
  });

  it('plain TCP to the TLS-only server: refused, the error saying the connection was plain', async () => {
    // MariaDB answers it with "access denied" (1045), as for a wrong password: no TlsError can be told apart.
    const error = await refusal(tlsUrl({ 'ssl-mode': 'DISABLED' }));
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    const cause = (error as DatabaseUnreachableError).cause;
    expect(cause).toBeInstanceOf(DatabaseError);
    expect((cause as DatabaseError).driverCode).toBe(1045);
    expect((error as Error).message).toContain('over plain TCP');
    expect((error as Error).message).not.toContain(TLS_PASSWORD);
  });

  it('REQUIRE X509 without a client certificate is refused', async () => {
    const error = await refusal(
      tlsUrl({ 'ssl-mode': 'VERIFY_IDENTITY', 'ssl-ca': CERTS.ca }, '127.0.0.1', 'berth_x509'),
    );
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as DatabaseUnreachableError).cause).toBeInstanceOf(DatabaseError);
    expect(((error as DatabaseUnreachableError).cause as DatabaseError).driverCode).toBe(1045);
    expect((error as Error).message).toContain("Access denied for user 'berth_x509'");
  });

  it('verification asked without a CA is refused when the driver is made, before any connection', async () => {
    for (const mode of ['VERIFY_CA', 'VERIFY_IDENTITY']) {
      expectTlsError(await refusal(tlsUrl({ 'ssl-mode': mode })), 'ca-missing');
    }
    expect(() => new MysqlDriver({ port: TLS_PORT, tls: { mode: 'verify-full' } })).toThrow(/ca-missing/);
    expectTlsError(
      await refusal(tlsUrl({ 'ssl-mode': 'VERIFY_CA', 'ssl-ca': '/nonexistent/ca.pem' })),
      'unreadable-file',
    );
    const error = await refusal(tlsUrl({ 'ssl-mode': 'PREFERRED' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('falls back to plain TCP');
  });

  it('leaves no connection behind after TLS failures', async () => {
    const driver = new MysqlDriver({
      host: '127.0.0.2',
      port: TLS_PORT,
      user: 'berth_tls',
      password: TLS_PASSWORD,
      max: 2,
      tls: { caFile: CERTS.ca },
    });
    await driver.open({ onCreate() {}, onDestroy() {}, onError() {} });
    try {
      for (let i = 0; i < 5; i++)
        expectTlsError(await driver.acquire().catch((e: unknown) => e), 'host-name-mismatch');
      expect(driver.nativeStats()).toEqual({ total: 0, idle: 0 });
    } finally {
      await driver.close();
    }
    const db = await connect(tlsUrl({ 'ssl-mode': 'VERIFY_IDENTITY', 'ssl-ca': CERTS.otherCa }), {
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
  describe('MariaDB over TLS', () => {
    it.skip(`SKIPPED: the TLS-only mariadbd is unusable (${problem})`, () => undefined);
  });
}
