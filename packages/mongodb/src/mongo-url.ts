import { ValidationError } from '@berth/core';

/** The parts of a MongoDB URL berth needs itself; the driver parses the rest. */
export interface MongoUrl {
  /** The URL as given, handed to the driver unchanged. */
  readonly url: string;
  /** The database named in the URL's path, if any. */
  readonly database: string | undefined;
}

const SCHEMES = ['mongodb://', 'mongodb+srv://'];

/**
 * Checks the scheme and reads the database name from a `mongodb://` or `mongodb+srv://` URL
 * (`mongodb://host:27017,host2/dbname?replicaSet=rs0`). Hosts never contain `/`, so the path starts at
 * the first `/` after the scheme. Everything else (hosts, credentials, options) is left to the driver.
 */
export function parseMongoUrl(url: string): MongoUrl {
  const scheme = typeof url === 'string' ? SCHEMES.find((s) => url.toLowerCase().startsWith(s)) : undefined;
  if (!scheme) throw new ValidationError('a MongoDB URL starts with mongodb:// or mongodb+srv://');
  const rest = url.slice(scheme.length);
  const end = rest.search(/[?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const slash = authority.indexOf('/');
  const path = slash < 0 ? '' : authority.slice(slash + 1);
  let database: string | undefined;
  try {
    database = path === '' ? undefined : decodeURIComponent(path);
  } catch {
    throw new ValidationError(`invalid database name in the MongoDB URL: "${path}"`);
  }
  return { url, database };
}
