/** Where a database URL points, as the `server.*` and `db.namespace` attributes name it. */
export interface ServerAttributes {
  readonly address?: string;
  readonly port?: number;
  readonly namespace?: string;
}

const DEFAULT_PORTS: Record<string, number> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'mysql:': 3306,
  'mariadb:': 3306,
  'mongodb:': 27017,
};

/**
 * The host, port and database of a connection URL; never its user or password. PGlite URLs and anything
 * unparsable give nothing (an embedded database has no server).
 */
export function serverOfUrl(url: string | undefined): ServerAttributes {
  if (url === undefined) return {};
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {};
  }
  const defaultPort = DEFAULT_PORTS[parsed.protocol];
  if (defaultPort === undefined || parsed.hostname === '') return {};
  const namespace = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    address: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? defaultPort : Number(parsed.port),
    ...(namespace === '' ? {} : { namespace }),
  };
}
