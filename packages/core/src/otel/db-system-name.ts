import type { Attributes } from '@opentelemetry/api';
import type { BackendName } from '../driver/capabilities.js';

/**
 * OpenTelemetry's `db.system.name` for a berth backend: PGlite is PostgreSQL; the MySQL adapter serves
 * MySQL and MariaDB alike and reports `mysql` when nothing else tells them apart (see `systemNameOf`).
 */
export function dbSystemName(backend: BackendName): string {
  switch (backend) {
    case 'postgres':
    case 'pglite':
      return 'postgresql';
    case 'mysql':
      return 'mysql';
    case 'mongodb':
      return 'mongodb';
    default:
      return 'other_sql';
  }
}

/** What names the system, strongest first; see `systemNameOf`. */
export interface SystemNameSources {
  /** `InstrumentOptions.dbSystemName`. */
  readonly told?: string | undefined;
  /** What the driver learnt from the server (`Database.serverSystem()`), once it has. */
  readonly learnt: () => string | undefined;
  /** The URL the database was opened with. */
  readonly url?: string | undefined;
  readonly backend: BackendName;
}

/**
 * `db.system.name`, as a function read at each use: the name the caller gave, else the one the driver
 * learnt from the server (the MySQL adapter reads `VERSION()` on its first connection, which may come
 * after `instrument`), else `mariadb` for a `mariadb://` URL on the MySQL adapter, else the backend's
 * (`dbSystemName`). Once a name is given or learnt it is kept; until then the driver is asked again.
 */
export function systemNameOf(sources: SystemNameSources): () => string {
  let settled = sources.told;
  const fallback =
    sources.backend === 'mysql' && schemeOf(sources.url) === 'mariadb:'
      ? 'mariadb'
      : dbSystemName(sources.backend);
  return () => {
    settled ??= sources.learnt();
    return settled ?? fallback;
  };
}

function schemeOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).protocol;
  } catch {
    return undefined;
  }
}

/**
 * Attributes that name the system, from `build`, built again only when the name changes (at most once,
 * when the driver learns it), so a span or metric point does not build them each time.
 */
export function withSystemName(
  system: () => string,
  build: (system: string) => Attributes,
): () => Attributes {
  let name: string | undefined;
  let attributes: Attributes = {};
  return () => {
    const current = system();
    if (current !== name) {
      name = current;
      attributes = build(current);
    }
    return attributes;
  };
}
