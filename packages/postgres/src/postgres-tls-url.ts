import { ValidationError } from '@berth/core';
import type { TlsOptions } from '@berth/sql';

/** libpq's TLS parameters berth reads, and what each sets. */
const PARAMS: Record<string, keyof TlsOptions> = {
  sslmode: 'mode',
  sslrootcert: 'caFile',
  sslcert: 'certFile',
  sslkey: 'keyFile',
  sslpassword: 'passphrase',
};

/**
 * Reads and removes the TLS parameters of a PostgreSQL URL, so pg never applies its own reading of them
 * (pg takes `require` and `verify-ca` as `verify-full`, and the URL's would override berth's options):
 *
 * - `sslmode`: libpq's values (`allow` and `prefer` are kept here and refused by `resolveTls`); pg's
 *   `no-verify` is read as `require`;
 * - `sslrootcert` (a file, or `system` for the system store), `sslcert`, `sslkey`, `sslpassword`;
 * - pg's `ssl=true` (TLS verified against the system store, as pg does it) and `ssl=false`.
 *
 * Any other `ssl…` parameter (`sslcrl`, `sslnegotiation`, `sslsni`...) is refused with `ValidationError`
 * rather than ignored: a security setting that silently does nothing is worse than none. `tls` is
 * `undefined` when the URL says nothing about TLS.
 */
export function takeTlsParams(url: string): { url: string; tls: TlsOptions | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, tls: undefined };
  }
  const tls: Record<string, string | boolean> = {};
  let found = false;
  for (const key of [...parsed.searchParams.keys()]) {
    const lower = key.toLowerCase();
    if (!lower.startsWith('ssl')) continue;
    const value = parsed.searchParams.get(key) ?? '';
    parsed.searchParams.delete(key);
    found = true;
    const option = PARAMS[lower];
    if (option) {
      tls[option] = option === 'mode' && value === 'no-verify' ? 'require' : value;
    } else if (lower === 'ssl') {
      if (['true', '1'].includes(value)) tls.ssl = true;
      else if (['false', '0'].includes(value)) tls.ssl = false;
      else if (value === 'no-verify') tls.ssl = 'require';
      else throw new ValidationError(`the URL's ssl parameter must be true or false (got "${value}")`);
    } else {
      throw new ValidationError(
        `the PostgreSQL URL parameter ${key} is not supported by berth; its TLS parameters are sslmode, sslrootcert, sslcert, sslkey and sslpassword`,
      );
    }
  }
  if (!found) return { url, tls: undefined };
  const { ssl, ...rest } = tls;
  const options = rest as TlsOptions;
  if (ssl === false && options.mode === undefined) options.mode = 'disable';
  if (ssl === 'require' && options.mode === undefined) options.mode = 'require';
  // pg's ssl=true: TLS verified against Node's CAs, host name included.
  if (ssl === true && options.mode === undefined && options.caFile === undefined) options.systemCa = true;
  return { url: parsed.href, tls: options };
}
