import type { Entity } from '../entity/define-entity.js';
import { ValidationError } from '../errors/validation-error.js';

/** The entities `entity` references through its `belongsTo` foreign keys, by table name. */
function referenced(entity: Entity): string[] {
  const names: string[] = [];
  for (const name of entity.fieldNames) {
    const reference = entity.fields[name]!.references;
    if (reference) names.push(reference.target().name);
  }
  return names;
}

/**
 * Orders the entities of a flush so that every entity comes after the entities it references (a
 * topological sort of their `belongsTo` foreign keys, as MikroORM's commit-order calculator does): inserts
 * run in this order, deletes in the reverse. Otherwise the given order is kept. A reference to itself (a
 * tree) is left to the order rows were persisted in. Entities referencing each other in a cycle cannot be
 * ordered: `ValidationError` naming the cycle, before anything is written.
 */
export function commitOrder(entities: readonly Entity[]): Entity[] {
  const byName = new Map(entities.map((entity) => [entity.name, entity] as const));
  const state = new Map<string, 'visiting' | 'done'>();
  const ordered: Entity[] = [];
  const visit = (entity: Entity, path: string[]): void => {
    const seen = state.get(entity.name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(entity.name)), entity.name].join(' -> ');
      throw new ValidationError(
        `cannot order the flush: entities reference each other in a cycle (${cycle}); flush them in separate steps`,
      );
    }
    state.set(entity.name, 'visiting');
    for (const name of referenced(entity)) {
      const target = byName.get(name);
      if (target && target !== entity) visit(target, [...path, entity.name]);
    }
    state.set(entity.name, 'done');
    ordered.push(entity);
  };
  for (const entity of entities) visit(entity, []);
  return ordered;
}
