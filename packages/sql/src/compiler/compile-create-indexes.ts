import type { EntityMeta, IndexMeta } from '@berth/core';
import { fitIdentifier } from '../dialect/fit-identifier.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';

/** The name an index gets on this server: the `IndexMeta` name, shortened deterministically if too long. */
export function indexName(dialect: SqlDialect, index: IndexMeta): string {
  return fitIdentifier(index.name, dialect.maxIdentifierLength);
}

/**
 * `CREATE [UNIQUE] INDEX` for each of the entity's indexes, under their deterministic names (so a unique
 * violation can be mapped back to its fields). With `IF NOT EXISTS` where the dialect has it; otherwise
 * pass the index names that already exist (read with `compileListIndexes`, compared case-insensitively as
 * MySQL does) and only the missing ones are created.
 */
export function compileCreateIndexes(
  dialect: SqlDialect,
  entity: EntityMeta,
  existing: Iterable<string> = [],
): CompiledStatement[] {
  const present = new Set([...existing].map((name) => name.toLowerCase()));
  const table = dialect.quoteIdentifier(entity.name);
  const statements: CompiledStatement[] = [];
  for (const index of entity.indexes) {
    const name = indexName(dialect, index);
    if (present.has(name.toLowerCase())) continue;
    const columns = index.fields.map((f) => dialect.quoteIdentifier(f)).join(', ');
    const ifNotExists = dialect.supportsCreateIndexIfNotExists ? 'IF NOT EXISTS ' : '';
    const sql = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists}${dialect.quoteIdentifier(name)} ON ${table} (${columns})`;
    statements.push({ sql, params: [] });
  }
  return statements;
}

/** The query for the names of the indexes that exist on the entity's table, as rows `{ name }`. */
export function compileListIndexes(dialect: SqlDialect, entity: EntityMeta): CompiledStatement {
  return { sql: dialect.listIndexes, params: [entity.name] };
}
