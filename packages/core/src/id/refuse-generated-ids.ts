import type { Capabilities } from '../driver/capabilities.js';
import type { EntityMeta } from '../entity/define-entity.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import { hasGeneratedIds } from './id-strategy.js';

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
