import { ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { takeTlsParams } from './postgres-tls-url.js';

const BASE = 'postgres://u:p@db.example:5432/app';

describe('takeTlsParams', () => {
  it("reads libpq's parameters and removes them from the URL pg sees", () => {
    const { url, tls } = takeTlsParams(
      `${BASE}?application_name=x&sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/c.key&sslpassword=pw`,
    );
    expect(url).toBe(`${BASE}?application_name=x`);
    expect(tls).toEqual({
      mode: 'verify-full',
      caFile: '/ca.pem',
      certFile: '/c.pem',
      keyFile: '/c.key',
      passphrase: 'pw',
    });
  });

  it('says nothing for a URL without TLS parameters', () => {
    expect(takeTlsParams(`${BASE}?application_name=x`)).toEqual({
      url: `${BASE}?application_name=x`,
      tls: undefined,
    });
  });

  it("reads pg's spellings: ssl=true (verified against the system store), ssl=false, no-verify", () => {
    expect(takeTlsParams(`${BASE}?ssl=true`).tls).toEqual({ systemCa: true });
    expect(takeTlsParams(`${BASE}?ssl=1&sslrootcert=/ca.pem`).tls).toEqual({ caFile: '/ca.pem' });
    expect(takeTlsParams(`${BASE}?ssl=false`).tls).toEqual({ mode: 'disable' });
    expect(takeTlsParams(`${BASE}?sslmode=no-verify`).tls).toEqual({ mode: 'require' });
    expect(takeTlsParams(`${BASE}?ssl=no-verify`).tls).toEqual({ mode: 'require' });
    expect(() => takeTlsParams(`${BASE}?ssl=maybe`)).toThrow(ValidationError);
  });

  it('keeps allow and prefer for resolveTls to refuse, and refuses the TLS parameters berth does not implement', () => {
    expect(takeTlsParams(`${BASE}?sslmode=prefer`).tls).toEqual({ mode: 'prefer' });
    for (const param of [
      'sslcrl=/crl.pem',
      'sslnegotiation=direct',
      'sslsni=0',
      'ssl_min_protocol_version=TLSv1.3',
    ]) {
      expect(() => takeTlsParams(`${BASE}?${param}`)).toThrow(/not supported by berth/);
    }
  });
});
