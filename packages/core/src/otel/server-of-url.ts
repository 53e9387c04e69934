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

/** `server.address`, `server.port` and `db.namespace` of a URL, as span and metric attributes (those it has). */
export function serverAttributes(url: string | undefined): Record<string, string | number> {
  const server = serverOfUrl(url);
  const attributes: Record<string, string | number> = {};
  if (server.address !== undefined) attributes['server.address'] = server.address;
  if (server.port !== undefined) attributes['server.port'] = server.port;
  if (server.namespace !== undefined) attributes['db.namespace'] = server.namespace;
  return attributes;
}

/** A pool's name from its server: `<address>:<port>/<database>`, or `fallback` for a URL with no server. */
export function poolNameOf(url: string | undefined, fallback: string): string {
  const server = serverOfUrl(url);
  if (server.address === undefined) return fallback;
  return `${server.address}:${server.port}${server.namespace === undefined ? '' : `/${server.namespace}`}`;
}
