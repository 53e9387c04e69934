import type { StoredRow } from '../driver/commands.js';
import type { Entity } from '../entity/define-entity.js';
import { validateRow } from '../entity/build-row.js';
import { MANAGED_KINDS } from '../entity/field.js';
import { ValidationError } from '../errors/validation-error.js';
import { changedFields } from '../repository/values-equal.js';
import { type RowShape, copyValue, rowShape } from '../entity/row-shape.js';
import { snapshot as copyRow } from './snapshot.js';
import type { IdentityMap, TrackedRow } from './identity-map.js';

/** A new row to insert: `row` is a private copy, taken when the change set was computed, and is what is written. */
export interface RowInsert {
  readonly tracked: TrackedRow;
  readonly row: StoredRow;
}

/**
 * A change to one stored row: the fields to set (version and updatedAt included; values copied when the
 * change set was computed, so later changes to the caller's object do not leak into the write) and the
 * version read.
 */
export interface RowUpdate {
  readonly tracked: TrackedRow;
  readonly id: string;
  readonly version: number | undefined;
  readonly set: StoredRow;
}

export interface RowDelete {
  readonly tracked: TrackedRow;
  readonly id: string;
  readonly version: number | undefined;
}

/** Everything one flush writes, grouped so it can be batched. */
export interface ChangeSet {
  /** New rows per entity, in the order they were persisted. */
  readonly inserts: Map<Entity, RowInsert[]>;
  readonly updates: RowUpdate[];
  /** Removed rows per entity. */
  readonly deletes: Map<Entity, RowDelete[]>;
  readonly size: number;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Computes what a flush must write by comparing each managed row with its snapshot: only changed fields
 * are written. What it returns is a copy, taken now: the caller may go on changing its objects while the
 * flush is in flight, and those changes are left for the next flush. Rows changed in place (and new rows
 * changed since `persist` validated them) are validated here; a change to a field the data layer owns (id,
 * version, timestamps) is refused.
 */
export function computeChangeSet(map: IdentityMap, now: Date): ChangeSet {
  const inserts = new Map<Entity, RowInsert[]>();
  const deletes = new Map<Entity, RowDelete[]>();
  const updates: RowUpdate[] = [];
  let size = 0;
  // The entity of the last new row, its row code and its list: new rows come grouped by entity, thousands
  // in a bulk, and each would otherwise look both up again.
  let newEntity: Entity | undefined;
  let shape: RowShape | undefined;
  let list: RowInsert[] = [];
  for (const tracked of map.values()) {
    const { entity, row, snapshot } = tracked;
    const versionField = entity.versionField;
    if (tracked.state === 'new') {
      if (entity !== newEntity) {
        newEntity = entity;
        shape = rowShape(entity);
        list = inserts.get(entity) ?? [];
        if (list.length === 0) inserts.set(entity, list);
      }
      // Validated by `persist`, whose private copy is what is written while the caller's row still equals it;
      // a row changed since is validated again and copied.
      const unchanged = tracked.validated !== undefined && shape!.equal(tracked.validated, row);
      if (!unchanged) validateRow(entity, row);
      list.push({ tracked, row: unchanged ? tracked.validated! : copyRow(entity, row) });
      size++;
      continue;
    }
    const id = snapshot!.id as string;
    const version = versionField ? (snapshot![versionField] as number) : undefined;
    if (tracked.state === 'removed') {
      push(deletes, entity, { tracked, id, version });
      size++;
      continue;
    }
    const changed = changedFields(entity, snapshot!, row);
    if (changed.length === 0) continue;
    const managed = changed.filter((name) => MANAGED_KINDS.has(entity.fields[name]!.kind));
    if (managed.length > 0) {
      throw new ValidationError(
        `${entity.name}: ${managed.join(', ')} ${managed.length > 1 ? 'are' : 'is'} set by the data layer`,
        managed.map((field) => ({ field, message: 'set by the data layer' })),
      );
    }
    validateRow(entity, row);
    const set: StoredRow = {};
    // A copy as `structuredClone` makes one, without its cost for the scalars most fields hold.
    for (const name of changed) set[name] = copyValue(row[name]);
    if (versionField) set[versionField] = (version as number) + 1;
    if (entity.updatedAtField) set[entity.updatedAtField] = now;
    updates.push({ tracked, id, version, set });
    size++;
  }
  return { inserts, updates, deletes, size };
}

/**
 * How many rows `computeChangeSet` would insert, update and delete now, without validating or copying
 * anything: what a flush wrapper is told before a cascading flush computes its change set, inside its
 * transaction once the children are read (a second full change set there would validate and copy every
 * row twice).
 */
export function countChanges(map: IdentityMap): { inserts: number; updates: number; deletes: number } {
  let inserts = 0;
  let updates = 0;
  let deletes = 0;
  for (const { entity, row, snapshot, state } of map.values()) {
    if (state === 'new') inserts++;
    else if (state === 'removed') deletes++;
    else if (changedFields(entity, snapshot!, row).length > 0) updates++;
  }
  return { inserts, updates, deletes };
}
