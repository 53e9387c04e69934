import { ValidationError } from '@berth/core';

/** Where a PGlite database lives: `undefined` for in memory, else a data folder as written in the URL. */
export interface PGliteLocation {
  /** The data folder as the URL wrote it (relative to the working directory), or undefined in memory. */
  readonly dataDir: string | undefined;
}

/**
 * Reads a `pglite:` URL: `pglite://memory` (or `pglite:memory`, `pglite://`) for an in-memory database,
 * `pglite://<dir>` for a data folder, relative (`pglite://./data`, `pglite://data`) or absolute
 * (`pglite:///var/lib/x`). Parsed by hand: the WHATWG URL parser would read the first path segment as a
 * host name. Percent-escapes are decoded. Throws `ValidationError` for another scheme.
 */
export function parsePGliteUrl(url: string): PGliteLocation {
  const match = /^pglite:(?:\/\/)?(.*)$/i.exec(url.trim());
  if (!match) throw new ValidationError(`not a pglite: URL: ${url}`);
  let path: string;
  try {
    path = decodeURIComponent(match[1]!);
  } catch {
    throw new ValidationError(`malformed pglite: URL: ${url}`);
  }
  if (path === '' || path === 'memory' || path === ':memory:' || path === 'memory:')
    return { dataDir: undefined };
  return { dataDir: path };
}
