import type { Entity } from '../entity/define-entity.js';
import { ValidationError } from '../errors/validation-error.js';
import type { HasMany, HasOne, ManyToMany } from '../entity/relation-definitions.js';
import type { RelationMeta } from '../entity/entity-meta.js';
import { isRelation, splitRelations } from '../entity/split-relations.js';

/** The relations `defineRelations` adds: the sides stored nowhere. */
export type InverseRelationMap = Record<string, HasMany | HasOne | ManyToMany>;

/**
 * Adds relations stored nowhere (`hasMany`, `hasOne`, `manyToMany`) to an entity already defined, and
 * returns the same entity typed with them. This is how two entities refer to each other: TypeScript
 * cannot infer two constants whose initializers each name the other, so the side holding the foreign key
 * (`belongsTo`) is declared in `defineEntity` and the inverse side here, after both exist:
 *
 * ```ts
 * const OrderTable = defineEntity('orders', { id: field.id(), placedAt: field.datetime() });
 * export const Line = defineEntity('lines', { id: field.id(), order: belongsTo(() => OrderTable) });
 * export const Order = defineRelations(OrderTable, { lines: hasMany(() => Line, 'order') });
 * ```
 *
 * Call it once per entity, at module load, before the relations are used. A name taken by a field or a
 * relation, or a `belongsTo` (its foreign key would be a new field), is a `ValidationError`.
 */
export function defineRelations<E extends Entity, R extends InverseRelationMap>(
  entity: E,
  relations: R,
): Entity<E['name'], E['__fields'], E['__relations'] & R> {
  const known = entity.relations as Record<string, RelationMeta> | undefined;
  if (!known || Object.isFrozen(known))
    throw new ValidationError(`entity "${entity.name}" was not made by defineEntity`);
  for (const [name, value] of Object.entries(relations)) {
    if (!isRelation(value) || (value.relationKind as string) === 'belongsTo')
      throw new ValidationError(
        `entity "${entity.name}": defineRelations takes hasMany, hasOne and manyToMany; declare "${name}" in defineEntity`,
      );
    if (Object.hasOwn(entity.fields, name) || Object.hasOwn(known, name))
      throw new ValidationError(`entity "${entity.name}": "${name}" is already a field or relation`);
  }
  Object.assign(known, splitRelations(entity.name, relations).relations);
  return entity as unknown as Entity<E['name'], E['__fields'], E['__relations'] & R>;
}
