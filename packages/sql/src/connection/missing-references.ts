import { type EntityMeta, ValidationError } from '@berth/core';

/** A `belongsTo` foreign key whose target table is not among the entities `ensureSchema` was given. */
export interface OutsideReference {
  /** The referencing table. */
  readonly table: string;
  /** The foreign key field (`<relation>Id`). */
  readonly field: string;
  /** The referenced table (the target entity's name). */
  readonly target: string;
}

/** The foreign keys of `entities` that point at a table outside them, in declaration order. */
export function outsideReferences(entities: readonly EntityMeta[]): OutsideReference[] {
  const names = new Set(entities.map((e) => e.name));
  const outside: OutsideReference[] = [];
  for (const entity of entities) {
    for (const field of entity.fieldNames) {
      const references = entity.fields[field]?.references;
      if (!references) continue;
      const target = references.target().name;
      if (!names.has(target)) outside.push({ table: entity.name, field, target });
    }
  }
  return outside;
}

/**
 * Refuses, before anything is created, foreign keys whose target table is neither among the entities nor
 * in the database: the `ALTER TABLE ... ADD FOREIGN KEY` would fail with the server's own "relation does
 * not exist" after the referencing table was made. `live` holds the tables the database has.
 */
export function refuseMissingReferences(
  outside: readonly OutsideReference[],
  live: ReadonlySet<string>,
): void {
  const missing = outside.filter((r) => !live.has(r.target));
  if (missing.length === 0) return;
  const targets = [...new Set(missing.map((r) => r.target))];
  throw new ValidationError(
    `ensureSchema: ${missing.map((r) => `${r.table}.${r.field} references "${r.target}"`).join(', ')}, which is ` +
      `neither among the entities given nor in the database: pass ${targets.join(', ')} to ensureSchema too ` +
      '(in the same call, or an earlier one); nothing was created',
    missing.map((r) => ({
      field: `${r.table}.${r.field}`,
      message: `references "${r.target}", which is neither among the entities given nor in the database`,
    })),
  );
}
