import type { EntityMeta } from '../../entity/define-entity.js';
import type { IncludeNode } from './include-plan.js';
import { includeShape } from './include-shape.js';
import { planInclude } from './plan-include.js';

/** Plans kept per entity; past it the oldest is dropped (a bound for includes generated per request). */
export const PLANS_PER_ENTITY = 64;

/** Per entity object: frozen plans by include shape (see `includeShape`). */
const plans = new WeakMap<EntityMeta, Map<string, readonly IncludeNode[]>>();

/** Freezes a plan to its last node, so that one shared by every read with its shape cannot be changed. */
function freezePlan(nodes: IncludeNode[]): readonly IncludeNode[] {
  for (const node of nodes) {
    for (const key of node.orderBy) Object.freeze(key);
    Object.freeze(node.orderBy);
    freezePlan(node.children as IncludeNode[]);
    Object.freeze(node);
  }
  return Object.freeze(nodes);
}

/**
 * `planInclude(entity, include)`, planned once per entity and include shape: a read that repeats an include
 * (the usual case: a constant in the caller's code) gets the same frozen plan without checking or planning
 * anything again. The key is the include's content, never its identity, so an include object changed
 * between reads is planned again. Includes with a `where` are planned on every read (see `includeShape`).
 * A plan is cached only once `planInclude` has accepted it: an invalid include throws on every read.
 */
export function planIncludeCached(entity: EntityMeta, include: unknown): readonly IncludeNode[] {
  const key = includeShape(include);
  if (key === undefined) return planInclude(entity, include);
  let byShape = plans.get(entity);
  if (byShape === undefined) {
    byShape = new Map();
    plans.set(entity, byShape);
  }
  const cached = byShape.get(key);
  if (cached !== undefined) return cached;
  const plan = freezePlan(planInclude(entity, include));
  if (byShape.size >= PLANS_PER_ENTITY) byShape.delete(byShape.keys().next().value!);
  byShape.set(key, plan);
  return plan;
}
