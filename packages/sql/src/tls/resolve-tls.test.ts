import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { TlsError, ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { nodeTlsOptions, resolveTls } from './resolve-tls.js';

// PEM armour around nothing: OpenSSL refuses it, which is what the test needs.
const CERT = ['-----BEGIN CERTIFICATE-----', 'bm90IGEgY2VydGlmaWNhdGU=', '-----END CERTIFICATE-----'].join(
  '\n',
);

function reason(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof TlsError ? error.reason : `not a TlsError: ${String(error)}`;
  }
  return undefined;
}

describe('resolveTls', () => {
  it('says nothing without options, and disable is plain TCP', () => {
    expect(resolveTls(undefined)).toBeUndefined();
    expect(resolveTls({ mode: 'disable', caFile: '/nowhere' })).toBe(false);
  });

  it('require verifies nothing, unless a CA is given (as libpq)', () => {
    expect(resolveTls({ mode: 'require' })).toEqual({
      mode: 'require',
      verifyChain: false,
      verifyHost: false,
    });
    const withCa = resolveTls({ mode: 'require', systemCa: true });
    expect(withCa).toMatchObject({ verifyChain: true, verifyHost: false });
  });

  it('defaults to verify-full, and verification needs a CA or the system store', () => {
    expect(reason(() => resolveTls({}))).toBe('ca-missing');
    expect(reason(() => resolveTls({ mode: 'verify-ca' }))).toBe('ca-missing');
    const system = resolveTls({ caFile: 'system' });
    expect(system).toMatchObject({ mode: 'verify-full', verifyChain: true, verifyHost: true });
    if (!system) throw new Error('expected TLS options');
    expect(system.ca?.length).toBe(rootCertificates.length);
  });

  it('refuses allow, prefer and unknown modes with ValidationError', () => {
    for (const mode of ['allow', 'prefer']) {
      expect(() => resolveTls({ mode: mode as 'require' })).toThrow(/falls back to plain TCP/);
    }
    expect(() => resolveTls({ mode: 'sometimes' as 'require' })).toThrow(ValidationError);
  });

  it('reads files, and names the file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-tls-'));
    writeFileSync(join(dir, 'not-pem.txt'), 'hello');
    expect(reason(() => resolveTls({ caFile: join(dir, 'missing.pem') }))).toBe('unreadable-file');
    expect(() => resolveTls({ caFile: join(dir, 'missing.pem') })).toThrow(/missing\.pem.*ENOENT/);
    expect(reason(() => resolveTls({ caFile: join(dir, 'not-pem.txt') }))).toBe('invalid-certificate');
    expect(reason(() => resolveTls({ ca: 'hello' }))).toBe('invalid-certificate');
  });

  it('wants a client certificate and its key together, and valid', () => {
    expect(() => resolveTls({ mode: 'require', certFile: undefined, key: 'k' })).toThrow(ValidationError);
    expect(reason(() => resolveTls({ mode: 'require', cert: CERT, key: 'not a key' }))).toBe(
      'invalid-certificate',
    );
  });
});

describe('nodeTlsOptions', () => {
  it('checks the host itself under verify-full, nothing else otherwise', () => {
    const full = nodeTlsOptions(resolveTls({ systemCa: true }) || assertNever(), '10.0.0.7');
    expect(full.rejectUnauthorized).toBe(true);
    const cert = { subject: { CN: 'db.example' }, subjectaltname: 'DNS:db.example, IP Address:10.0.0.7' };
    // The name the driver passes is ignored: the certificate is checked against the host connected to.
    expect(full.checkServerIdentity('localhost', cert as never)).toBeUndefined();
    const other = nodeTlsOptions(resolveTls({ systemCa: true }) || assertNever(), '10.0.0.8');
    expect(other.checkServerIdentity('10.0.0.7', cert as never)).toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    const chain = nodeTlsOptions(
      resolveTls({ mode: 'verify-ca', systemCa: true }) || assertNever(),
      '10.0.0.8',
    );
    expect(chain.checkServerIdentity('10.0.0.8', cert as never)).toBeUndefined();
    const bare = nodeTlsOptions(resolveTls({ mode: 'require' }) || assertNever(), 'h');
    expect(bare.rejectUnauthorized).toBe(false);
  });
});

function assertNever(): never {
  throw new Error('expected TLS options');
}
