import { hasGeneratedIds, idStrategyOf } from '../id/id-strategy.js';
import type { EntityMeta } from './define-entity.js';
import type { FieldMeta } from './entity-meta.js';
import { MANAGED_KINDS } from './field.js';
import { storedFormMayChange } from './kinds/stored-form.js';
import { type RowShape, rowShape } from './row-shape.js';

/** What a new row's field gets (`InsertRowPlan.roles`). */
export const ROLE = {
  /** A caller-owned field: the caller's value (or its default), validated. */
  caller: 0,
  /** A UUIDv7 id, made here. */
  uuidId: 1,
  /** An id the caller supplies, validated. */
  suppliedId: 2,
  /** An id the database generates: absent from the row until the insert returns it. */
  generatedId: 3,
  /** The version field: 1. */
  version: 4,
  /** `createdAt` / `updatedAt`: the write's instant. */
  stamp: 5,
} as const;

/** What a key of a caller's object is (`InsertRowPlan.keys`); a key absent from the map is not a field. */
export const KEY = {
  /** A caller-owned field. */
  caller: 0,
  /** A supplied id: the caller's to give on insert, never to change. */
  suppliedId: 1,
  /** A field the data layer sets (a made id, version, timestamps). */
  managed: 2,
} as const;

/**
 * What building and checking a row of an entity needs of its fields, worked out once per entity: a bulk
 * insert builds thousands of rows, and each would otherwise look every field's metadata up by name (a
 * keyed load whose key changes from one field to the next), work out its id strategy and test its kind
 * against the managed kinds, again per row.
 */
export interface InsertRowPlan {
  /** The fields in declaration order (`entity.fieldNames`). */
  readonly names: readonly string[];
  /** `metas[i]` is the metadata of field `names[i]`. */
  readonly metas: readonly FieldMeta[];
  /** `roles[i]`: what field `names[i]` of a new row gets (one of `ROLE`). */
  readonly roles: Uint8Array;
  /** Whether `storedForm` may change a valid value of field `i` (decimals, bytes): others are stored as given. */
  readonly reforms: readonly boolean[];
  /** Each field's name to what the key is to a caller (one of `KEY`). */
  readonly keys: ReadonlyMap<string, number>;
  /** Whether the database generates the ids (see `hasGeneratedIds`). */
  readonly generated: boolean;
  readonly shape: RowShape;
}

const plans = new WeakMap<EntityMeta, InsertRowPlan>();

/** The entity's plan, made on first use (an entity's fields never change once defined). */
export function insertRowPlan(entity: EntityMeta): InsertRowPlan {
  let plan = plans.get(entity);
  if (!plan) {
    plan = makePlan(entity);
    plans.set(entity, plan);
  }
  return plan;
}

function roleOf(meta: FieldMeta): number {
  switch (meta.kind) {
    case 'id': {
      const strategy = idStrategyOf(meta);
      return strategy === 'uuidv7'
        ? ROLE.uuidId
        : strategy === 'supplied'
          ? ROLE.suppliedId
          : ROLE.generatedId;
    }
    case 'version':
      return ROLE.version;
    case 'createdAt':
    case 'updatedAt':
      return ROLE.stamp;
    default:
      return ROLE.caller;
  }
}

function keyOf(meta: FieldMeta): number {
  if (meta.kind === 'id' && idStrategyOf(meta) === 'supplied') return KEY.suppliedId;
  return MANAGED_KINDS.has(meta.kind) ? KEY.managed : KEY.caller;
}

function makePlan(entity: EntityMeta): InsertRowPlan {
  const names = entity.fieldNames;
  const metas = names.map((name) => entity.fields[name]!);
  const keys = new Map<string, number>();
  for (let i = 0; i < names.length; i++) keys.set(names[i]!, keyOf(metas[i]!));
  return {
    names,
    metas,
    roles: Uint8Array.from(metas, roleOf),
    reforms: metas.map(storedFormMayChange),
    keys,
    generated: hasGeneratedIds(entity),
    shape: rowShape(entity),
  };
}
