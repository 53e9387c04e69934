import type { EntityMeta } from '@berth/core';
import { fitIdentifier } from '../dialect/fit-identifier.js';

/** The identifier limits of the dialects berth ships (PostgreSQL 63, MySQL 64), for shortened names. */
const IDENTIFIER_LIMITS = [63, 64];

/**
 * Maps a violated foreign-key constraint's name back to the entity and `belongsTo` relation that declared
 * it (berth names them `<table>_<field>_fkey`, shortened where too long); both undefined when none of the
 * known entities has it.
 */
export function findForeignKey(
  entities: readonly EntityMeta[],
  constraint: string | undefined,
): { entity: string | undefined; relation: string | undefined } {
  if (constraint === undefined) return { entity: undefined, relation: undefined };
  for (const entity of entities) {
    for (const name of entity.fieldNames) {
      const reference = entity.fields[name]!.references;
      if (!reference) continue;
      if (
        reference.name === constraint ||
        IDENTIFIER_LIMITS.some((limit) => fitIdentifier(reference.name, limit) === constraint)
      )
        return { entity: entity.name, relation: reference.relation };
    }
  }
  return { entity: undefined, relation: undefined };
}
