import { TlsError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mapTlsError } from './map-tls-error.js';

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('mapTlsError', () => {
  it.each([
    [
      nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
      'certificate-untrusted',
    ],
    [
      nodeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
      'certificate-untrusted',
    ],
    // mysql2 replaces Node's code with its own; the message still says it.
    [nodeError('HANDSHAKE_SSL_ERROR', 'unable to get local issuer certificate'), 'certificate-untrusted'],
    [nodeError('CERT_HAS_EXPIRED', 'certificate has expired'), 'certificate-expired'],
    [
      nodeError(
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "Hostname/IP does not match certificate's altnames: IP: 10.0.0.8",
      ),
      'host-name-mismatch',
    ],
    [new Error('The server does not support SSL connections'), 'server-without-tls'],
    [
      nodeError('HANDSHAKE_NO_SSL_SUPPORT', 'Server does not support secure connection'),
      'server-without-tls',
    ],
    [
      nodeError('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'alert certificate required'),
      'client-certificate-rejected',
    ],
    [nodeError('28000', 'connection requires a valid client certificate'), 'client-certificate-rejected'],
    [nodeError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'handshake-failed'],
    [new Error('There was an error establishing an SSL connection'), 'handshake-failed'],
  ])('%s over TLS is %s', (error, reason) => {
    const mapped = mapTlsError(error, true);
    expect(mapped).toBeInstanceOf(TlsError);
    expect(mapped?.reason).toBe(reason);
    expect(mapped?.cause).toBe(error);
    expect(mapped?.message).toContain(reason);
  });

  it('reads only the server wanting TLS on a plain connection', () => {
    const pg = nodeError(
      '28000',
      'no pg_hba.conf entry for host "1.2.3.4", user "u", database "d", no encryption',
    );
    expect(mapTlsError(pg, false)?.reason).toBe('server-requires-tls');
    const mysql = Object.assign(new Error('Connections using insecure transport are prohibited'), {
      errno: 3159,
    });
    expect(mapTlsError(mysql, false)?.reason).toBe('server-requires-tls');
    expect(mapTlsError(nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed'), false)).toBeUndefined();
  });

  it('leaves other errors alone, and passes a TlsError through', () => {
    expect(
      mapTlsError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5434'), true),
    ).toBeUndefined();
    expect(
      mapTlsError(nodeError('28P01', 'password authentication failed for user "u"'), true),
    ).toBeUndefined();
    const own = new TlsError('ca-missing', 'x');
    expect(mapTlsError(own, false)).toBe(own);
  });
});
