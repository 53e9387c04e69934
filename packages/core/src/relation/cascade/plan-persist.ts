import type { StoredRow } from '../../driver/commands.js';
import type { EntityMeta } from '../../entity/define-entity.js';
import { buildInsertRow } from '../../entity/build-row.js';
import { ValidationError } from '../../errors/validation-error.js';
import { refuseGeneratedIdPersist } from '../../id/refuse-generated-ids.js';
import type { HasManyMeta } from '../../entity/entity-meta.js';

/** One row a cascading `persist` schedules. */
export interface PlannedInsert {
  readonly entity: EntityMeta;
  readonly row: StoredRow;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The foreign-key field on `relation`'s target that points back at the parent (hasMany / hasOne). */
function inverseKey(entity: EntityMeta, name: string, relation: HasManyMeta): string {
  const inverse = relation.target().relations?.[relation.inverse];
  if (inverse?.kind !== 'belongsTo')
    throw new ValidationError(
      `${entity.name}.${name}: "${relation.inverse}" is not a belongsTo relation of ${relation.target().name}`,
    );
  return inverse.foreignKey;
}

/**
 * Builds the rows `persist(entity, data)` schedules: the row itself and, under each relation declaring
 * `cascade: ['persist']`, the related rows given with it, recursively, foreign keys filled in (a
 * `belongsTo` target's id into the row, the row's id into each `hasMany` / `hasOne` child). Every row is
 * built and validated before any is scheduled, so a bad child leaves nothing persisted: one
 * `ValidationError`, thrown as soon as a row is found wrong. Data under a relation that does not cascade
 * persist is refused by name.
 */
export function planPersist(
  entity: EntityMeta,
  data: unknown,
  now: Date,
): { root: StoredRow; rows: PlannedInsert[] } {
  const rows: PlannedInsert[] = [];
  const root = visit(entity, data, now, rows);
  return { root, rows };
}

/** True when `entity` declares no relation, so `persist` of it schedules exactly one row (`planRow`). */
export function persistsAlone(entity: EntityMeta): boolean {
  for (const _ in entity.relations) return false;
  return true;
}

/** The one row `persist(entity, data)` schedules for an entity that `persistsAlone`: built and validated. */
export function planRow(entity: EntityMeta, data: unknown, now: Date): StoredRow {
  refuseGeneratedIdPersist(entity);
  return buildInsertRow(entity, data, now);
}

/** Whether `data` names any of the relations among its own enumerable keys (what `Object.keys` lists). */
function namesRelation(data: Record<string, unknown>, relations: Readonly<Record<string, unknown>>): boolean {
  for (const key in relations)
    if (Object.hasOwn(relations, key) && Object.prototype.propertyIsEnumerable.call(data, key)) return true;
  return false;
}

function visit(entity: EntityMeta, data: unknown, now: Date, planned: PlannedInsert[]): StoredRow {
  refuseGeneratedIdPersist(entity);
  const relations = entity.relations ?? {};
  if (!isObject(data) || !namesRelation(data, relations)) {
    const row = buildInsertRow(entity, data, now);
    planned.push({ entity, row });
    return row;
  }
  const fields: Record<string, unknown> = {};
  const children: [string, HasManyMeta, unknown][] = [];
  for (const [key, value] of Object.entries(data)) {
    const relation = Object.hasOwn(relations, key) ? relations[key]! : undefined;
    if (!relation) {
      fields[key] = value;
      continue;
    }
    if (!relation.cascade?.includes('persist'))
      throw new ValidationError(
        `${entity.name}.${key} does not cascade persist: declare cascade: ['persist'] or persist the related rows on their own`,
        [{ field: key, message: 'not a cascading relation' }],
      );
    if (value === undefined) continue;
    if (relation.kind === 'belongsTo') {
      if (Object.hasOwn(data, relation.foreignKey))
        throw new ValidationError(`${entity.name}: give ${key} or ${relation.foreignKey}, not both`, [
          { field: key, message: `${relation.foreignKey} is given too` },
        ]);
      if (value === null) fields[relation.foreignKey] = null;
      else fields[relation.foreignKey] = visit(relation.target(), value, now, planned).id;
    } else if (relation.kind === 'hasMany' || relation.kind === 'hasOne') {
      children.push([key, relation, value]);
    }
  }
  const row = buildInsertRow(entity, fields, now);
  planned.push({ entity, row });
  for (const [key, relation, value] of children) {
    const foreignKey = inverseKey(entity, key, relation);
    const list = relation.kind === 'hasMany' ? value : value === null ? [] : [value];
    if (!Array.isArray(list))
      throw new ValidationError(`${entity.name}.${key} takes an array of new rows`, [
        { field: key, message: 'not an array' },
      ]);
    for (const child of list) {
      if (!isObject(child))
        throw new ValidationError(
          `${entity.name}.${key} takes new ${relation.target().name} rows as objects`,
          [{ field: key, message: 'not an object' }],
        );
      if (Object.hasOwn(child, foreignKey) || Object.hasOwn(child, relation.inverse))
        throw new ValidationError(
          `${entity.name}.${key}: a child's ${foreignKey} is the parent's id, filled in; do not give it`,
          [{ field: key, message: `${foreignKey} is filled in` }],
        );
      visit(relation.target(), { ...child, [foreignKey]: row.id }, now, planned);
    }
  }
  return row;
}
