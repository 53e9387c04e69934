import type { Database, Driver } from '@berth/core';
import type { TlsTestServer } from './tls-test-server.js';

/** What the cases ask of a connection's TLS, in the backend's own URL parameters (see `TlsTarget.params`). */
export interface TlsAsk {
  /** libpq's words, which each backend spells its own way (MySQL: `VERIFY_IDENTITY` for `verify-full`). */
  readonly mode?: 'disable' | 'require' | 'verify-ca' | 'verify-full';
  /** The CA file, or `system`. */
  readonly ca?: string;
  /** The client certificate file. */
  readonly cert?: string;
  /** The client key file. */
  readonly key?: string;
}

/** The subset of the SQL adapters' `tls` driver option the cases set. */
export interface TlsDriverOption {
  /** As `TlsOptions.mode`. */
  readonly mode?: 'verify-ca' | 'verify-full';
  /** As `TlsOptions.caFile`. */
  readonly caFile?: string;
}

/**
 * How a connection the server refuses for want of TLS or of a client certificate shows: a `TlsError` with
 * this reason (PostgreSQL tells why), or an access-denied `DatabaseError` with the server's code under a
 * `DatabaseUnreachableError` whose message contains `message` (MariaDB answers both as it answers a wrong
 * password, so no `TlsError` can be told apart).
 */
export type TlsRefusal =
  | {
      /** The `TlsError` reason the refusal must carry. */
      readonly tlsReason: 'server-requires-tls' | 'client-certificate-rejected';
    }
  | {
      /** The server's error code, on the `DatabaseError` under the `DatabaseUnreachableError`. */
      readonly driverCode: number;
      /** A substring of the `DatabaseUnreachableError`'s message. */
      readonly message: string;
    };

/**
 * A backend's TLS-only test server for `runTlsCases`: URLs in the backend's own spelling, a driver made
 * with the `tls` option, and what differs between backends (how a session tells it is encrypted, which
 * refusals are typed).
 */
export interface TlsTarget {
  /** The `describe` title: `PostgreSQL over TLS (the TLS-only cluster)`. */
  readonly title: string;
  /** Why the server cannot be used (the cases are skipped, see the adapter's check), or `undefined`. */
  readonly unusable: string | undefined;
  /** Loads the adapter, for `connect(url, { importAdapter })`. */
  importAdapter(): Promise<unknown>;
  /** The server, its certificates and URLs (`tlsTestServer`). */
  readonly server: TlsTestServer;
  /** The backend's spelling of `ask` as URL parameters (PostgreSQL: `sslmode`, `sslrootcert`, ...). */
  params(ask: TlsAsk): Record<string, string>;
  /** The `mode` values spelt as the backend spells them, for the case titles. */
  modeName(mode: NonNullable<TlsAsk['mode']>): string;
  /** A driver for the password user at `host` with the `tls` option (and `url`'s parameters, if given). */
  driver(host: string, tls: TlsDriverOption, url?: string): Driver;
  /** Whether the session `db.sql` runs on is encrypted, and its TLS version (`TLSv1.3`). */
  session(db: Database): Promise<{
    /** True when the session's connection is encrypted. */
    encrypted: boolean;
    /** The TLS protocol version the server reports (`TLSv1.3`), or `undefined` on a plain connection. */
    version: string | undefined;
  }>;
  /** The certificate-authenticated user, and who the server says it is once connected. */
  readonly certUser: {
    /** The user name the client certificate authenticates, as put in the URL. */
    readonly name: string;
    /** The user the server reports once connected (MariaDB adds the host: `user@localhost`). */
    readonly currentUser: string;
  };
  /** Who the server says the session's user is. */
  currentUser(db: Database): Promise<string>;
  /** URL parameter sets that verify against the system store (which does not hold the test CA). */
  readonly systemStore: readonly Record<string, string>[];
  /** URL parameter sets that would fall back to plain TCP, which berth refuses (`prefer`, `PREFERRED`). */
  readonly fallbackModes: readonly Record<string, string>[];
  /** How plain TCP to the TLS-only server is refused. */
  readonly plainRefused: TlsRefusal;
  /** How the certificate user without its certificate is refused. */
  readonly withoutClientCertRefused: TlsRefusal;
  /** Whether the `tls` option overrides the URL's TLS parameters field by field (PostgreSQL). */
  readonly optionMergesWithUrl: boolean;
}
