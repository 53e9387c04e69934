import type { BackendName } from '../driver/capabilities.js';

/**
 * OpenTelemetry's `db.system.name` for a berth backend: PGlite is PostgreSQL; the MySQL adapter serves
 * MySQL and MariaDB alike and reports `mysql` unless told otherwise (`InstrumentOptions.dbSystemName`).
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
