import type { EntityMeta, ReferentialAction } from '@berth/core';
import { fitIdentifier } from '../dialect/fit-identifier.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';

/** The SQL of each `onDelete` action. */
export const REFERENTIAL_ACTIONS: Record<ReferentialAction, string> = {
  cascade: 'CASCADE',
  restrict: 'RESTRICT',
  setNull: 'SET NULL',
  noAction: 'NO ACTION',
};

/**
 * `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY` for each `belongsTo` foreign key of the entity, with its
 * declared `ON DELETE` action, referencing the target's `id`. Constraints named in `existing` (read with
 * `compileListForeignKeys`, compared case-insensitively) are skipped, so this is idempotent. Run after
 * every table exists: entities may reference each other in a cycle. The supporting index is the entity's
 * own `<table>_<field>_idx` (or `_key`), created before.
 */
export function compileAddForeignKeys(
  dialect: SqlDialect,
  entity: EntityMeta,
  existing: Iterable<string> = [],
): CompiledStatement[] {
  const present = new Set([...existing].map((name) => name.toLowerCase()));
  const statements: CompiledStatement[] = [];
  for (const fieldName of entity.fieldNames) {
    const reference = entity.fields[fieldName]!.references;
    if (!reference) continue;
    const name = fitIdentifier(reference.name, dialect.maxIdentifierLength);
    if (present.has(name.toLowerCase())) continue;
    const q = dialect.quoteIdentifier;
    const sql =
      `ALTER TABLE ${q(entity.name)} ADD CONSTRAINT ${q(name)} FOREIGN KEY (${q(fieldName)}) ` +
      `REFERENCES ${q(reference.target().name)} (${q('id')}) ON DELETE ${REFERENTIAL_ACTIONS[reference.onDelete]}`;
    statements.push({ sql, params: [] });
  }
  return statements;
}

/** True when the entity stores a foreign key (a `belongsTo` relation). */
export function hasForeignKeys(entity: EntityMeta): boolean {
  return entity.fieldNames.some((name) => entity.fields[name]!.references !== undefined);
}

/** The query for the names of the foreign-key constraints on the entity's table, as rows `{ name }`. */
export function compileListForeignKeys(dialect: SqlDialect, entity: EntityMeta): CompiledStatement {
  return { sql: dialect.listForeignKeys, params: [entity.name] };
}
