import type { EntityMeta } from '../entity/define-entity.js';
import type { BelongsToMeta, RelationMeta } from '../entity/entity-meta.js';

/** How a relation's rows are matched to a parent row: the parent's `parentKey` equals the target's `targetKey`. */
export interface RelationKeys {
  /** The parent's field holding the key: the foreign key for `belongsTo`, else `id`. */
  readonly parentKey: string;
  /** The target's field matched against it: `id` for `belongsTo` and `manyToMany`, else the foreign key. */
  readonly targetKey: string;
  /** To-many (`hasMany`, `manyToMany`) or to-one. */
  readonly many: boolean;
  /** For `manyToMany`: the join entity and its two foreign keys (to the parent, to the target). */
  readonly join?: { readonly entity: EntityMeta; readonly fromKey: string; readonly toKey: string };
}

/** The `belongsTo` relation `name` of `entity`, which must point at `expected`. */
function owningSide(
  entity: EntityMeta,
  name: string,
  expected: EntityMeta,
  fail: (message: string) => Error,
): BelongsToMeta {
  const relation = entity.relations?.[name];
  if (relation?.kind !== 'belongsTo')
    throw fail(`${entity.name} has no belongsTo relation "${name}" (the inverse side names it)`);
  if (relation.target().name !== expected.name)
    throw fail(`${entity.name}.${name} points at ${relation.target().name}, not ${expected.name}`);
  return relation;
}

/**
 * The keys a relation of `parent` is found by, shared by `include` and relation filters. An inverse side
 * (`hasMany`, `hasOne`, `manyToMany`) whose owning `belongsTo` is missing or points elsewhere is reported
 * through `fail`, which builds the caller's error.
 */
export function relationKeys(
  parent: EntityMeta,
  relation: RelationMeta,
  target: EntityMeta,
  fail: (message: string) => Error,
): RelationKeys {
  switch (relation.kind) {
    case 'belongsTo':
      return { parentKey: relation.foreignKey, targetKey: 'id', many: false };
    case 'hasMany':
    case 'hasOne': {
      const inverse = owningSide(target, relation.inverse, parent, fail);
      return { parentKey: 'id', targetKey: inverse.foreignKey, many: relation.kind === 'hasMany' };
    }
    case 'manyToMany': {
      const through = relation.through();
      const fromKey = owningSide(through, relation.from, parent, fail).foreignKey;
      const toKey = owningSide(through, relation.to, target, fail).foreignKey;
      return { parentKey: 'id', targetKey: 'id', many: true, join: { entity: through, fromKey, toKey } };
    }
  }
}
