import type { BeginOptions } from '@berth/core';
import type { SqlDialect } from './sql-dialect.js';

/**
 * The statements that start a transaction with `options`:
 * - PostgreSQL / PGlite: one `BEGIN ISOLATION LEVEL ... READ ONLY`;
 * - MySQL / MariaDB: `SET TRANSACTION ISOLATION LEVEL ...` (which, without SESSION or GLOBAL, applies to
 *   the next transaction only), then `START TRANSACTION [READ ONLY]`.
 * The isolation names are validated by the core, so they are safe to write into the text.
 */
export function beginStatements(dialect: SqlDialect, options: BeginOptions | undefined): string[] {
  if (!options || (options.isolation === undefined && options.readOnly === undefined)) {
    return [dialect.beginTransaction];
  }
  const isolation = options.isolation ? `ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '';
  const access = options.readOnly === undefined ? '' : options.readOnly ? 'READ ONLY' : 'READ WRITE';
  if (dialect.name === 'postgres') {
    return [[dialect.beginTransaction, isolation, access].filter(Boolean).join(' ')];
  }
  const statements: string[] = [];
  if (isolation) statements.push(`SET TRANSACTION ${isolation}`);
  statements.push([dialect.beginTransaction, access].filter(Boolean).join(' '));
  return statements;
}
