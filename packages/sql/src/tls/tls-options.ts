/**
 * How much a connection proves about its server, in libpq's words (MySQL's `ssl-mode` maps onto them:
 * DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY):
 *
 * - `disable`: plain TCP.
 * - `require`: encrypted, the server not verified (it could be anyone, a man in the middle included);
 *   with a CA given, it is verified as in `verify-ca`, as libpq does.
 * - `verify-ca`: encrypted, and the server's certificate must chain to a trusted CA.
 * - `verify-full`: as `verify-ca`, and the certificate must be issued for the host (name or IP address)
 *   connected to. What a managed database should be connected with.
 *
 * libpq's `allow` and `prefer`, and MySQL's `PREFERRED`, which fall back to plain TCP when the server (or
 * whoever answers in its place) declines TLS, are refused: berth never lets the network decide whether a
 * connection is encrypted.
 */
export type TlsMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

/** The modes, in order of what they prove. */
export const TLS_MODES: readonly TlsMode[] = Object.freeze([
  'disable',
  'require',
  'verify-ca',
  'verify-full',
]);

/**
 * The TLS options every SQL adapter takes (`tls` of `PostgresDriver` and `MysqlDriver`, or the same in the
 * URL: `sslmode`, `sslrootcert`, `sslcert`, `sslkey` for PostgreSQL; `ssl-mode`, `ssl-ca`, `ssl-cert`,
 * `ssl-key` for MySQL). Files are read when the driver is made, so a missing one fails at `connect()`.
 */
export interface TlsOptions {
  /** Default `verify-full` when any option here is given. */
  mode?: TlsMode;
  /** CA certificates to trust, as PEM text (one or several concatenated). */
  ca?: string;
  /** A PEM file of CA certificates to trust; `system` trusts the system store, as libpq's `sslrootcert=system`. */
  caFile?: string;
  /**
   * Trust the system store: Node's default CAs (its bundled Mozilla list, plus `NODE_EXTRA_CA_CERTS`, or the
   * operating system's with `node --use-openssl-ca`). With `ca` or `caFile`, those are trusted too.
   */
  systemCa?: boolean;
  /** A client certificate (PEM text), for servers that authenticate clients by certificate. */
  cert?: string;
  /** A PEM file holding the client certificate. */
  certFile?: string;
  /** The client certificate's private key (PEM text). */
  key?: string;
  /** A PEM file holding the client certificate's private key. */
  keyFile?: string;
  /** The passphrase of an encrypted private key. */
  passphrase?: string;
}
