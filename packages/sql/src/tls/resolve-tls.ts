import { readFileSync } from 'node:fs';
import { checkServerIdentity, createSecureContext, rootCertificates } from 'node:tls';
import { TlsError, ValidationError } from '@berth/core';
import { TLS_MODES, type TlsMode, type TlsOptions } from './tls-options.js';

/** TLS options checked and loaded: what a driver hands to Node's `tls.connect`, plus what it proves. */
export interface ResolvedTls {
  /** The mode asked for; `disable` resolves to no TLS at all. */
  readonly mode: Exclude<TlsMode, 'disable'>;
  /** Whether the certificate chain is checked (`verify-ca`, `verify-full`, or `require` with a CA). */
  readonly verifyChain: boolean;
  /** Whether the host name (or IP address) is checked against the certificate (`verify-full`). */
  readonly verifyHost: boolean;
  /** The trusted CA certificates (PEM): the system store's and the ones given; absent when none was asked. */
  readonly ca?: string[];
  /** The client certificate (PEM), for servers that authenticate clients by certificate. */
  readonly cert?: string;
  /** The client certificate's private key (PEM). */
  readonly key?: string;
  /** The passphrase of an encrypted `key`. */
  readonly passphrase?: string;
}

const BEGIN_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new TlsError(
      'unreadable-file',
      `TLS unreadable-file: cannot read the ${what} file ${path} (${String(code ?? error)})`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Checks TLS options and loads their files: `undefined` when there are none, `false` for `disable`.
 * Throws, before any network I/O:
 * - `ValidationError` for a mode that is not one of `TLS_MODES` (libpq's `allow`/`prefer` included, see
 *   `TlsMode`), or a client certificate without its key (or the reverse);
 * - `TlsError('ca-missing')` when verification is asked with no CA and no system store;
 * - `TlsError('unreadable-file')` for a file that cannot be read;
 * - `TlsError('invalid-certificate')` for PEM that is not, or a key that does not match its certificate.
 */
export function resolveTls(options: TlsOptions | undefined): ResolvedTls | false | undefined {
  if (options === undefined) return undefined;
  const mode = options.mode ?? 'verify-full';
  if (!TLS_MODES.includes(mode)) {
    const fallback = mode === ('allow' as string) || mode === ('prefer' as string);
    throw new ValidationError(
      fallback
        ? `TLS mode "${mode}" is refused: it falls back to plain TCP when the server (or anyone in between) declines TLS; use "disable", "require", "verify-ca" or "verify-full"`
        : `unknown TLS mode "${String(mode)}": use "disable", "require", "verify-ca" or "verify-full"`,
    );
  }
  if (mode === 'disable') return false;
  const ca: string[] = [];
  const system = options.systemCa === true || options.caFile === 'system';
  if (system) ca.push(...rootCertificates);
  const own: string[] = [];
  if (options.ca !== undefined) own.push(options.ca);
  if (options.caFile !== undefined && options.caFile !== 'system') own.push(read(options.caFile, 'CA'));
  for (const pem of own) {
    if (!pem.includes(BEGIN_CERTIFICATE)) {
      throw new TlsError(
        'invalid-certificate',
        'TLS invalid-certificate: the CA is not a PEM certificate (no BEGIN CERTIFICATE line)',
      );
    }
  }
  ca.push(...own);
  const verifyChain = mode !== 'require' || ca.length > 0;
  if (verifyChain && ca.length === 0) {
    throw new TlsError(
      'ca-missing',
      `TLS ca-missing: mode "${mode}" verifies the server, but no CA was given: give a CA file (sslrootcert, ssl-ca, tls.caFile), ` +
        'choose the system store (sslrootcert=system, ssl-ca=system, tls.systemCa), or use mode "require"',
    );
  }
  const cert =
    options.cert ??
    (options.certFile === undefined ? undefined : read(options.certFile, 'client certificate'));
  const key =
    options.key ?? (options.keyFile === undefined ? undefined : read(options.keyFile, 'client key'));
  if ((cert === undefined) !== (key === undefined)) {
    throw new ValidationError('a TLS client certificate needs its key, and a key its certificate');
  }
  try {
    createSecureContext({ ca: ca.length > 0 ? ca : undefined, cert, key, passphrase: options.passphrase });
  } catch (error) {
    throw new TlsError('invalid-certificate', `TLS invalid-certificate: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    mode,
    verifyChain,
    verifyHost: mode === 'verify-full',
    ...(ca.length > 0 ? { ca } : {}),
    ...(cert !== undefined ? { cert, key } : {}),
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
  };
}

/** The options of Node's `tls.connect` that make a connection to `host` prove what `tls` asks. */
export interface NodeTlsOptions {
  /** Whether Node checks the certificate chain (`ResolvedTls.verifyChain`). */
  rejectUnauthorized: boolean;
  /** The trusted CA certificates (PEM), as `ResolvedTls.ca`. */
  ca?: string[];
  /** The client certificate (PEM). */
  cert?: string;
  /** The client certificate's private key (PEM). */
  key?: string;
  /** The passphrase of an encrypted `key`. */
  passphrase?: string;
  /**
   * Checks the certificate's names against the host the URL names (not the name the driver passes, which
   * mysql2 sets to "localhost" for an IP address); a no-op when the mode does not verify the host.
   */
  checkServerIdentity: (servername: string, cert: never) => Error | undefined;
}

/**
 * Node's `tls.connect` options for `tls`, checking the certificate against `host` itself (the name or
 * IP address connected to) rather than the name a driver passes, which for an IP address is none, and
 * Node then checks "localhost".
 */
export function nodeTlsOptions(tls: ResolvedTls, host: string): NodeTlsOptions {
  const options: NodeTlsOptions = {
    rejectUnauthorized: tls.verifyChain,
    checkServerIdentity: tls.verifyHost
      ? (_servername, cert) => checkServerIdentity(host, cert)
      : () => undefined,
  };
  if (tls.ca) options.ca = tls.ca;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  if (tls.passphrase !== undefined) options.passphrase = tls.passphrase;
  return options;
}
