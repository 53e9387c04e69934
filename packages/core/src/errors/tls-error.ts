import { BerthError } from './berth-error.js';

/**
 * Why a TLS connection was refused. The first three are found in the configuration, before any network
 * I/O; the others in the handshake or in the server's answer to it.
 */
export type TlsErrorReason =
  /** Verification was asked (`verify-ca`, `verify-full`) with no CA to verify against and no system store. */
  | 'ca-missing'
  /** A CA, certificate or key file named in the options or the URL cannot be read. */
  | 'unreadable-file'
  /** The CA, certificate or key is not valid PEM, or the key does not match the certificate. */
  | 'invalid-certificate'
  /** The server's certificate does not chain to a trusted CA (a wrong CA, a self-signed certificate). */
  | 'certificate-untrusted'
  /** The server's certificate has expired or is not valid yet. */
  | 'certificate-expired'
  /** The server's certificate is not issued for the host name (or IP address) connected to. */
  | 'host-name-mismatch'
  /** TLS was asked, and the server offers none. */
  | 'server-without-tls'
  /** The connection was plain TCP, and the server accepts only TLS connections. */
  | 'server-requires-tls'
  /** The server asked for a client certificate and got none, or refused the one it got. */
  | 'client-certificate-rejected'
  /** Any other failure of the TLS handshake (protocol version, cipher, a connection cut mid-handshake). */
  | 'handshake-failed';

/**
 * A connection could not be made as its TLS options ask (`reason` says why). berth never falls back to
 * plain TCP, so nothing was sent unencrypted (and no password was sent to an unverified server). Not
 * retryable: the same configuration against the same server fails the same way. The message names the
 * reason and the driver's own words, never a password; `cause` is the driver's error.
 */
export class TlsError extends BerthError {
  readonly code = 'TLS';
  readonly retryable = false;

  constructor(
    /** Why the connection was refused: the first three are configuration mistakes found before connecting. */
    readonly reason: TlsErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
