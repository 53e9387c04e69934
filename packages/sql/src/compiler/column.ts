import { ValidationError, type EntityMeta, type FieldMeta } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';

/**
 * Looks a field up in the entity, so only declared names ever become identifiers in SQL. The core has
 * already validated them; this is the compiler's own guard.
 */
export function fieldOf(entity: EntityMeta, name: string): FieldMeta {
  const meta = Object.hasOwn(entity.fields, name) ? entity.fields[name] : undefined;
  if (!meta)
    throw new ValidationError(`unknown field "${name}" of ${entity.name}`, [
      { field: name, message: 'unknown field' },
    ]);
  return meta;
}

/** The quoted column of a declared field. */
export function column(dialect: SqlDialect, entity: EntityMeta, name: string): string {
  fieldOf(entity, name);
  return dialect.quoteIdentifier(name);
}
