import type { StoredRow } from '../driver/commands.js';
import type { Entity } from '../entity/define-entity.js';
import type { Scalar } from '../query/condition.js';
import { MATCH_ALL } from '../query/condition.js';
import { fetchIn } from '../relation/loader/fetch-in.js';
import type { HasManyMeta } from '../entity/entity-meta.js';
import type { Scope } from '../transaction/scope.js';
import type { IdentityMap, TrackedRow } from './identity-map.js';
import { snapshot } from './snapshot.js';

const ID_ORDER = [{ field: 'id', direction: 'asc' }] as const;

/** The relations of `entity` that cascade remove, with the foreign key on the child pointing back. */
function removing(entity: Entity): { relation: HasManyMeta; target: Entity; foreignKey: string }[] {
  const found: { relation: HasManyMeta; target: Entity; foreignKey: string }[] = [];
  for (const relation of Object.values(entity.relations ?? {})) {
    if (relation.kind === 'manyToMany' || relation.kind === 'belongsTo') continue;
    if (!relation.cascade?.includes('remove')) continue;
    const target = relation.target() as Entity;
    const inverse = target.relations?.[relation.inverse];
    if (inverse?.kind === 'belongsTo') found.push({ relation, target, foreignKey: inverse.foreignKey });
  }
  return found;
}

/** True when some row removed in `map` has children to remove with it. */
export function hasCascadingRemoves(map: IdentityMap): boolean {
  for (const tracked of map.values())
    if (tracked.state === 'removed' && removing(tracked.entity).length > 0) return true;
  return false;
}

/**
 * Marks removed, in `map`, every row reachable from a removed row through relations declaring
 * `cascade: ['remove']`, level by level: the children of one level are read with one batched query per
 * relation (chunked select-in on the parents' ids, on `scope`: the flush's transaction), whatever the
 * number of parents. Children already tracked keep their object; children persisted here and not yet
 * written are forgotten. Resolves to a function undoing every change made to `map`, for a flush that fails.
 */
export async function cascadeRemoves(map: IdentityMap, scope: Scope): Promise<() => void> {
  const undo: (() => void)[] = [];
  const restore = () => {
    for (const step of undo.reverse()) step();
  };
  try {
    const expanded = new Set<TrackedRow>();
    let level = [...map.values()].filter((t) => t.state === 'removed');
    while (level.length > 0) {
      const byEntity = new Map<Entity, TrackedRow[]>();
      for (const tracked of level) {
        if (expanded.has(tracked)) continue;
        expanded.add(tracked);
        const list = byEntity.get(tracked.entity);
        if (list) list.push(tracked);
        else byEntity.set(tracked.entity, [tracked]);
      }
      const next: TrackedRow[] = [];
      for (const [entity, parents] of byEntity) {
        for (const { target, foreignKey } of removing(entity)) {
          const ids = parents.map((p) => (p.snapshot?.id ?? p.row.id) as Scalar);
          const idSet = new Set<unknown>(ids);
          // Children persisted in this unit of work and not yet written go with their parent.
          for (const tracked of [...map.values()]) {
            if (tracked.entity !== target || tracked.state !== 'new' || !idSet.has(tracked.row[foreignKey]))
              continue;
            map.delete(target, tracked.row.id as string);
            undo.push(() => map.add(tracked));
          }
          const stored = await scope.run((c) => fetchIn(c, target, foreignKey, ids, MATCH_ALL, ID_ORDER));
          for (const row of stored) next.push(markRemoved(map, target, row, undo));
        }
      }
      level = next;
    }
  } catch (error) {
    restore();
    throw error;
  }
  return restore;
}

function markRemoved(map: IdentityMap, entity: Entity, row: StoredRow, undo: (() => void)[]): TrackedRow {
  const known = map.get(entity, row.id as string);
  if (!known) {
    const tracked: TrackedRow = { entity, row, snapshot: snapshot(entity, row), state: 'removed' };
    map.add(tracked);
    undo.push(() => map.delete(entity, row.id as string));
    return tracked;
  }
  if (known.state !== 'removed') {
    const previous = known.state;
    known.state = 'removed';
    undo.push(() => {
      known.state = previous;
    });
  }
  return known;
}
