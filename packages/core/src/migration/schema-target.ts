import type { EntityMeta, IndexMeta } from '../entity/define-entity.js';
import type { FieldMeta } from '../entity/field.js';
import type { ForeignKeyMeta } from '../entity/entity-meta.js';
import type { CollectionValidation, ColumnType } from './schema-model.js';

/**
 * How one backend stores entities, so the differ can say what the live schema should be: the column type
 * a field gets (in the same canonical spelling introspection reports), and the name an index gets on that
 * server. Adapters provide it with their `MigrationDriver`.
 */
export interface SchemaTarget {
  /** Collections have no columns (MongoDB): only collections and indexes are compared. */
  readonly schemaless: boolean;
  /** The stored type of a field, in introspection's canonical spelling. */
  columnType(field: FieldMeta): ColumnType;
  /** The name the index has on this server (shortened where the server's identifiers are shorter). */
  indexName(index: IndexMeta): string;
  /**
   * The name a `belongsTo` foreign key's constraint has on this server (shortened like index names), or
   * undefined where the backend keeps no foreign keys (MongoDB): the differ then compares none.
   */
  foreignKeyName?(reference: ForeignKeyMeta): string;
  /**
   * The document validation an entity's collection should have (MongoDB's JSON-schema validator), or
   * undefined where the backend has none: the differ then compares none.
   */
  validation?(entity: EntityMeta): CollectionValidation;
}
