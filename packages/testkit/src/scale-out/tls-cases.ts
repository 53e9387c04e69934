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
import type { TlsRefusal, TlsTarget } from './tls-target.js';

const POOL = { max: 2, acquireTimeoutMs: 5_000, connectTimeoutMs: 3_000 };

/**
 * Registers the TLS cases every SQL adapter runs against a real TLS-only server made for the tests:
 * verified connections work (by address and by host name, with a client certificate), and each way a
 * verification can fail is a `TlsError` naming its reason (or the server's refusal where it gives no
 * reason), never a silent fallback to plain TCP, with nothing left open behind it. Call at the top level
 * of a test file.
 */
export function runTlsCases(target: TlsTarget): void {
  const { params, modeName } = target;
  const { certs } = target.server;
  const importAdapter = target.importAdapter as never;
  const TABLE = `tls_check${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
  const verifyFull = modeName('verify-full');

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
    expect(e.message).not.toContain(target.server.password);
    expect(String((e.cause as Error | undefined)?.message ?? '')).not.toContain(target.server.password);
  }

  function expectRefused(error: unknown, refusal: TlsRefusal): void {
    if ('tlsReason' in refusal) {
      expectTlsError(error, refusal.tlsReason);
      return;
    }
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    const cause = (error as DatabaseUnreachableError).cause;
    expect(cause).toBeInstanceOf(DatabaseError);
    expect((cause as DatabaseError).driverCode).toBe(refusal.driverCode);
    expect((error as Error).message).toContain(refusal.message);
    expect((error as Error).message).not.toContain(target.server.password);
  }

  describe.skipIf(target.unusable !== undefined)(target.title, () => {
    const opened: Database[] = [];
    afterAll(async () => {
      for (const db of opened) await db.close();
    });

    async function open(url: string): Promise<Database> {
      const db = await connect(url, { importAdapter, pool: POOL });
      opened.push(db);
      return db;
    }

    async function expectEncrypted(db: Database): Promise<void> {
      const session = await target.session(db);
      expect(session.encrypted).toBe(true);
      expect(session.version).toMatch(/^TLSv1\.[23]$/);
    }

    it(`${verifyFull} against the CA file: a round trip over TLS, and a write read back`, async () => {
      const db = await open(target.server.url(params({ mode: 'verify-full', ca: certs.ca })));
      await expectEncrypted(db);
      await db.execute`DROP TABLE IF EXISTS ${sql.id(TABLE)}`;
      await db.execute`CREATE TABLE ${sql.id(TABLE)} (id int PRIMARY KEY, note varchar(40))`;
      await db.execute`INSERT INTO ${sql.id(TABLE)} VALUES (${1}, ${'over TLS'})`;
      expect(await db.sql`SELECT id, note FROM ${sql.id(TABLE)}`).toEqual([{ id: 1, note: 'over TLS' }]);
      await db.execute`DROP TABLE ${sql.id(TABLE)}`;
    });

    it(`${verifyFull} by host name (localhost), with the tls option instead of the URL`, async () => {
      const db = await Database.open(target.driver('localhost', { caFile: certs.ca }));
      opened.push(db);
      expect(await db.sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    });

    it(`${modeName('require')}: encrypted without verification, and ${modeName('verify-ca')}: the chain without the host name`, async () => {
      const required = await open(target.server.url(params({ mode: 'require' }), '127.0.0.2'));
      await expectEncrypted(required);
      // 127.0.0.2 is not in the certificate: verify-ca does not care, verify-full does (below).
      const chain = await open(target.server.url(params({ mode: 'verify-ca', ca: certs.ca }), '127.0.0.2'));
      expect(await chain.sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    });

    it(`a client certificate authenticates the ${target.certUser.name} user, with no password`, async () => {
      const db = await open(
        target.server.url(
          params({ mode: 'verify-full', ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }),
          '127.0.0.1',
          target.certUser.name,
        ),
      );
      expect(await target.currentUser(db)).toBe(target.certUser.currentUser);
    });

    it('the wrong CA: TlsError certificate-untrusted', async () => {
      expectTlsError(
        await refusal(target.server.url(params({ mode: 'verify-full', ca: certs.otherCa }))),
        'certificate-untrusted',
      );
    });

    it('the system store, which does not hold the test CA: TlsError certificate-untrusted', async () => {
      for (const system of target.systemStore) {
        expectTlsError(await refusal(target.server.url(system)), 'certificate-untrusted');
      }
    });

    it(`${verifyFull} to an address the certificate does not name: TlsError host-name-mismatch`, async () => {
      // mysql2 alone would check 127.0.0.2 against "localhost", which the certificate names: berth checks the address.
      const error = await refusal(
        target.server.url(params({ mode: 'verify-full', ca: certs.ca }), '127.0.0.2'),
      );
      expectTlsError(error, 'host-name-mismatch');
      expect((error as Error).message).toContain('127.0.0.2');
    });

    it('plain TCP to the TLS-only server: refused, saying why', async () => {
      expectRefused(await refusal(target.server.url(params({ mode: 'disable' }))), target.plainRefused);
    });

    it('the certificate user without a client certificate: refused', async () => {
      const url = target.server.url(
        params({ mode: 'verify-full', ca: certs.ca }),
        '127.0.0.1',
        target.certUser.name,
      );
      expectRefused(await refusal(url), target.withoutClientCertRefused);
    });

    it('verification asked without a CA is refused when the driver is made, before any connection', async () => {
      for (const mode of ['verify-ca', 'verify-full'] as const) {
        expectTlsError(await refusal(target.server.url(params({ mode }))), 'ca-missing');
      }
      expect(() => target.driver('127.0.0.1', { mode: 'verify-ca' })).toThrow(/ca-missing/);
      expect(() => target.driver('127.0.0.1', { mode: 'verify-full' })).toThrow(/ca-missing/);
      if (target.optionMergesWithUrl) {
        // The option overrides the URL field by field: here the URL's CA is kept, so this one is fine.
        const url = target.server.url(params({ ca: certs.ca }));
        expect(() => target.driver('127.0.0.1', { mode: 'verify-full' }, url)).not.toThrow();
      }
      expectTlsError(
        await refusal(target.server.url(params({ mode: 'verify-ca', ca: '/nonexistent/ca.pem' }))),
        'unreadable-file',
      );
      expectTlsError(
        await refusal(target.server.url(params({ mode: 'verify-full', ca: '/nonexistent/ca.pem' }))),
        'unreadable-file',
      );
      for (const fallback of target.fallbackModes) {
        const error = await refusal(target.server.url(fallback));
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as Error).message).toContain('falls back to plain TCP');
      }
    });

    it('leaves no connection behind after TLS failures', async () => {
      const failing = [
        {
          host: '127.0.0.1',
          tls: { mode: 'verify-full', caFile: certs.otherCa },
          reason: 'certificate-untrusted',
        },
        { host: '127.0.0.2', tls: { mode: 'verify-full', caFile: certs.ca }, reason: 'host-name-mismatch' },
      ] as const;
      for (const { host, tls, reason } of failing) {
        const driver = target.driver(host, tls);
        await driver.open({ onCreate() {}, onDestroy() {}, onError() {} });
        try {
          for (let i = 0; i < 5; i++) expectTlsError(await driver.acquire().catch((e: unknown) => e), reason);
          expect(driver.nativeStats()).toEqual({ total: 0, idle: 0 });
        } finally {
          await driver.close();
        }
      }
      const db = await connect(target.server.url(params({ mode: 'verify-full', ca: certs.otherCa })), {
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

  if (target.unusable !== undefined) {
    describe(target.title, () => {
      it.skip(`SKIPPED: the TLS-only server is unusable (${target.unusable})`, () => undefined);
    });
  }
}
