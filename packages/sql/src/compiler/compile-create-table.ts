import type { EntityMeta, FieldMeta } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';

/** The identity / AUTO_INCREMENT clause of a database-generated id column; empty for every other column. */
export function generatedClause(dialect: SqlDialect, field: FieldMeta): string {
  return field.kind === 'id' && field.idStrategy === 'increment' ? dialect.generatedIdClause : '';
}

/**
 * `CREATE TABLE IF NOT EXISTS` with one column per field in declaration order, NOT NULL unless the field
 * is nullable, and the primary key on `id`. Indexes are separate statements (`compileCreateIndexes`).
 * An existing table is left as it is: columns are never added or altered here.
 */
export function compileCreateTable(dialect: SqlDialect, entity: EntityMeta): CompiledStatement {
  const columns = entity.fieldNames.map((name) => {
    const field = entity.fields[name]!;
    const column = `${dialect.quoteIdentifier(name)} ${dialect.columnType(field)}${field.nullable ? '' : ' NOT NULL'}${generatedClause(dialect, field)}`;
    // An enum is text the database itself keeps to the declared values (NULL passes a CHECK).
    if (field.kind !== 'enum') return column;
    const values = (field.values ?? []).map((value) => dialect.stringLiteral(value)).join(', ');
    return `${column} CHECK (${dialect.quoteIdentifier(name)} IN (${values}))`;
  });
  columns.push(`PRIMARY KEY (${dialect.quoteIdentifier('id')})`);
  const sql = `CREATE TABLE IF NOT EXISTS ${dialect.quoteIdentifier(entity.name)} (${columns.join(', ')})${dialect.tableOptions}`;
  return { sql, params: [] };
}
