import type { Entity } from '../entity/define-entity.js';
import type { ChangeSet, RowUpdate } from './change-set.js';

/** The updates of a flush split around its inserts. */
export interface UpdatePhases {
  /** Run before the inserts: they point at nothing inserted in this flush. */
  readonly beforeInserts: readonly RowUpdate[];
  /** Run after the inserts: they set a foreign key to a row this flush inserts. */
  readonly afterInserts: readonly RowUpdate[];
}

/**
 * Orders updates among inserts by dependency: an update that sets a `belongsTo` foreign key to the id of a
 * row inserted in the same flush (`order.customerId = newCustomer.id` on a row read before) runs after
 * the inserts, so the referenced row exists when the database checks the key. Every other update keeps
 * running before the inserts, so a unique value it frees can be taken by a new row.
 */
export function updatePhases(changes: ChangeSet): UpdatePhases {
  if (changes.updates.length === 0 || changes.inserts.size === 0)
    return { beforeInserts: changes.updates, afterInserts: [] };
  const inserted = new Map<string, Set<unknown>>();
  for (const [entity, rows] of changes.inserts) inserted.set(entity.name, new Set(rows.map((r) => r.row.id)));
  const pointsAtNew = (entity: Entity, update: RowUpdate) =>
    Object.keys(update.set).some((name) => {
      const reference = entity.fields[name]?.references;
      return reference !== undefined && inserted.get(reference.target().name)?.has(update.set[name]) === true;
    });
  const beforeInserts: RowUpdate[] = [];
  const afterInserts: RowUpdate[] = [];
  for (const update of changes.updates)
    (pointsAtNew(update.tracked.entity, update) ? afterInserts : beforeInserts).push(update);
  return { beforeInserts, afterInserts };
}
