import type { Capabilities } from '../driver/capabilities.js';
import type { EntityMeta } from '../entity/define-entity.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { hasGeneratedIds, idStrategyOf } from './id-strategy.js';

/** The length of a UUID's text, and of the foreign-key fields `belongsTo` adds. */
const UUID_LENGTH = 36;

/**
 * Refuses an entity with database-generated ids on a backend that has no such counter (MongoDB), when its
 * repository is made or its schema ensured: before anything is sent, never at the first insert.
 */
export function refuseGeneratedIds(entity: EntityMeta, capabilities: Capabilities): void {
  if (!capabilities.generatedIds && hasGeneratedIds(entity))
    throw new UnsupportedFeatureError(
      'generated-ids',
      `${entity.name}: this backend has no database-generated ids; use field.id() or field.id({ strategy: 'supplied' })`,
    );
}

/**
 * An upsert's insert needs its id before the statement (the outcome names the row by it), so entities
 * whose database makes the id are refused; `insert`, or an upsert on a supplied-id entity, instead.
 */
export function refuseGeneratedIdUpsert(entity: EntityMeta): void {
  if (hasGeneratedIds(entity))
    throw new UnsupportedFeatureError(
      'generated-ids',
      `${entity.name}: upsert needs ids made before the write; database-generated ids are not supported there`,
    );
}

/** The same for a unit of work, which hands a new row's id back before the flush that inserts it. */
export function refuseGeneratedIdPersist(entity: EntityMeta): void {
  if (hasGeneratedIds(entity))
    throw new UnsupportedFeatureError(
      'generated-ids',
      `${entity.name}: a unit of work gives new rows their ids before the flush; use repo.insert for database-generated ids`,
    );
}

/**
 * A `belongsTo` stores the target's id in a UUID-sized string field, so it can reference only entities whose
 * ids fit one: UUIDv7 ids, or supplied ids of at most 36 characters. Any other target is refused when the
 * schema is ensured (before anything is sent), with `UnsupportedFeatureError('generated-ids')` for integer
 * ids and `ValidationError` for longer supplied ones.
 */
export function refuseForeignKeysToOtherIds(entity: EntityMeta): void {
  for (const name of entity.fieldNames) {
    const reference = entity.fields[name]!.references;
    if (reference === undefined) continue;
    const target = reference.target();
    const id = target.fields.id;
    if (hasGeneratedIds(target))
      throw new UnsupportedFeatureError(
        'generated-ids',
        `${entity.name}.${name}: a belongsTo cannot reference ${target.name}, whose ids the database generates`,
      );
    if (idStrategyOf(id) === 'supplied' && (id?.max ?? 0) > UUID_LENGTH)
      throw new ValidationError(
        `${entity.name}.${name}: a belongsTo references ids of at most ${UUID_LENGTH} characters; ${target.name} allows ${id?.max}`,
      );
  }
}
