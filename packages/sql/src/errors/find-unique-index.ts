import type { EntityMeta } from '@berth/core';
import { fitIdentifier } from '../dialect/fit-identifier.js';

/** The entity and fields a violated unique constraint belongs to. */
export interface UniqueIndexMatch {
  /** The table, where known. */
  readonly entity: string | undefined;
  /** The fields of the index, in index order; empty when the name is not one of berth's indexes. */
  readonly fields: readonly string[];
}

/** The identifier limits of the dialects berth ships (PostgreSQL 63, MySQL 64), for shortened names. */
const IDENTIFIER_LIMITS = [63, 64];

function matchesIndexName(indexName: string, reported: string): boolean {
  if (indexName === reported) return true;
  return IDENTIFIER_LIMITS.some((limit) => fitIdentifier(indexName, limit) === reported);
}

/**
 * Maps the name of a violated unique constraint or index back to the entity's fields, for
 * `UniqueViolationError(entity, fields)`. Understands berth's deterministic index names
 * (`employees_email_key`, shortened where too long), PostgreSQL's primary key (`employees_pkey`), MySQL's
 * `PRIMARY`, and MySQL 8's `table.key` form. `table` narrows the search when the driver reports it; without
 * it a bare `PRIMARY` is attributed to the first entity, so list the failing statement's entity first.
 */
export function findUniqueIndex(
  entities: readonly EntityMeta[],
  name: string | undefined,
  table?: string,
): UniqueIndexMatch {
  let key = name ?? '';
  let owner = table;
  const dot = key.indexOf('.');
  if (dot > 0 && entities.some((e) => e.name === key.slice(0, dot))) {
    owner ??= key.slice(0, dot);
    key = key.slice(dot + 1);
  }
  const candidates = owner ? entities.filter((e) => e.name === owner) : entities;

  if (key.toUpperCase() === 'PRIMARY') {
    const entity = owner ?? candidates[0]?.name;
    return { entity, fields: ['id'] };
  }
  for (const entity of candidates) {
    if (key === `${entity.name}_pkey` || key === fitIdentifier(`${entity.name}_pkey`, 63)) {
      return { entity: entity.name, fields: ['id'] };
    }
    for (const index of entity.indexes) {
      if (index.unique && matchesIndexName(index.name, key))
        return { entity: entity.name, fields: [...index.fields] };
    }
  }
  return { entity: owner, fields: [] };
}
