import type { EntityMeta } from '../../entity/define-entity.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { IncludeNode } from './include-plan.js';
import { planIncludeCached } from './plan-cache.js';

/**
 * The relations a read loads, checked before anything is sent; undefined when it loads none (the read
 * then takes exactly the path it takes without relations). The plan is shared and frozen (`planIncludeCached`). `select` with `include` is refused: the keys
 * the relations are found by could be left out of the rows.
 */
export function planRead(
  entity: EntityMeta,
  options: { readonly include?: unknown; readonly select?: unknown },
): readonly IncludeNode[] | undefined {
  if (options.include === undefined) return undefined;
  if (options.select !== undefined)
    throw new ValidationError('select and include cannot be used together', [
      { field: 'include', message: 'not with select' },
    ]);
  return planIncludeCached(entity, options.include);
}
