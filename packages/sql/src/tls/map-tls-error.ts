import { TlsError, type TlsErrorReason } from '@berth/core';

/** What each reason means, for the message. */
const DESCRIPTIONS: Record<TlsErrorReason, string> = {
  'ca-missing': 'no CA to verify the server against',
  'unreadable-file': 'a TLS file cannot be read',
  'invalid-certificate': 'a TLS certificate or key is not valid',
  'certificate-untrusted': "the server's certificate is not signed by a trusted CA",
  'certificate-expired': "the server's certificate has expired or is not valid yet",
  'host-name-mismatch': "the server's certificate is not issued for the host connected to",
  'server-without-tls': 'the server does not offer TLS',
  'server-requires-tls': 'the server accepts only TLS connections and this one was plain TCP',
  'client-certificate-rejected': 'the server refused the client certificate (or its absence)',
  'handshake-failed': 'the TLS handshake failed',
};

/** Node's and OpenSSL's words for each failure, as Node's `code` or, where a driver replaced it, the message. */
const PATTERNS: [TlsErrorReason, RegExp][] = [
  ['host-name-mismatch', /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i],
  [
    'certificate-expired',
    /CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|certificate has expired|certificate is not yet valid/i,
  ],
  [
    'certificate-untrusted',
    /SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED|CERT_REJECTED|INVALID_CA|INVALID_PURPOSE|self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate signature failure|certificate not trusted|invalid CA certificate|unsuitable certificate purpose/i,
  ],
  [
    'client-certificate-rejected',
    /ALERT_CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|ALERT_CERTIFICATE_UNKNOWN|alert certificate required|alert bad certificate|alert unknown ca|requires a valid client certificate|certificate authentication failed/i,
  ],
  [
    'server-without-tls',
    /HANDSHAKE_NO_SSL_SUPPORT|does not support SSL connections|does not support secure connection/i,
  ],
];

/** A failure of the handshake with no more specific reason: Node's TLS codes, OpenSSL's words. */
const HANDSHAKE =
  /^(ERR_SSL_|ERR_TLS_|HANDSHAKE_SSL_ERROR$|EPROTO$)|SSL routines|error establishing an SSL connection/i;

function fieldsOf(error: unknown): { code: string; message: string; errno: unknown } {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  return {
    code: typeof fields.code === 'string' ? fields.code : '',
    message: typeof fields.message === 'string' ? fields.message : String(error),
    errno: fields.errno,
  };
}

/** A `TlsError` for `reason`, its message naming the reason and the driver's own words. */
export function tlsError(reason: TlsErrorReason, detail: string, cause?: unknown): TlsError {
  return new TlsError(reason, `TLS ${reason}: ${DESCRIPTIONS[reason]} (${detail})`, { cause });
}

/**
 * The `TlsError` a failed connect is, or `undefined` when it is not about TLS. `tls` says whether the
 * connection asked for TLS: a plain connection's failures are TLS failures only when the server says it
 * wants TLS (PostgreSQL's "no pg_hba.conf entry ... no encryption" under `hostssl`-only rules, MySQL 8's
 * ER_SECURE_TRANSPORT_REQUIRED); the handshake's own errors are checked only when TLS was asked.
 */
export function mapTlsError(error: unknown, tls: boolean): TlsError | undefined {
  if (error instanceof TlsError) return error;
  const { code, message, errno } = fieldsOf(error);
  if (!tls) {
    const pgNoEncryption = code === '28000' && /pg_hba\.conf.*no encryption/i.test(message);
    const mysqlSecureTransport = errno === 3159 || code === 'ER_SECURE_TRANSPORT_REQUIRED';
    if (pgNoEncryption || mysqlSecureTransport) return tlsError('server-requires-tls', message, error);
    return undefined;
  }
  const text = `${code} ${message}`;
  for (const [reason, pattern] of PATTERNS) {
    if (pattern.test(text)) return tlsError(reason, message, error);
  }
  if (HANDSHAKE.test(code) || HANDSHAKE.test(message)) return tlsError('handshake-failed', message, error);
  return undefined;
}
