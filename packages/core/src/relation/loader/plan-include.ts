import type { EntityMeta } from '../../entity/define-entity.js';
import { ValidationError } from '../../errors/validation-error.js';
import { MATCH_ALL } from '../../query/condition.js';
import { normalizeWhere } from '../../query/normalize-where.js';
import { parseOrderBy } from '../../query/order-by.js';
import { checkLimit } from '../../repository/read-page.js';
import { relationKeys } from '../relation-keys.js';
import type { IncludeNode } from './include-plan.js';

/** How deep `include` may nest: bounds the statements one read sends, whoever wrote the request. */
export const MAX_INCLUDE_DEPTH = 8;

const OPTION_KEYS = new Set(['include', 'where', 'orderBy', 'limit']);

/** An object literal (its prototype `Object.prototype` or null): what `include` and its options must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`include.${path}: ${message}`, [{ field: path, message }]);
}

/**
 * Checks an `include` against the entity's relations, to any depth, before anything is sent, and plans
 * the reads: one node per relation per level. Unknown relations, unknown options, a `where`, `orderBy`
 * or `limit` on a to-one relation, and nesting deeper than `MAX_INCLUDE_DEPTH` are `ValidationError`s.
 */
export function planInclude(entity: EntityMeta, include: unknown, path = '', depth = 1): IncludeNode[] {
  if (!isPlainObject(include))
    throw invalid(path || 'include', 'takes an object of relation names set to true or to options');
  if (depth > MAX_INCLUDE_DEPTH) throw invalid(path, `nests deeper than ${MAX_INCLUDE_DEPTH} levels`);
  const nodes: IncludeNode[] = [];
  for (const [name, spec] of Object.entries(include)) {
    const here = path ? `${path}.${name}` : name;
    const relation =
      entity.relations && Object.hasOwn(entity.relations, name) ? entity.relations[name] : undefined;
    if (!relation) throw invalid(here, `${entity.name} has no relation "${name}"`);
    if (spec !== true && !isPlainObject(spec)) throw invalid(here, 'must be true or an object of options');
    const options = spec === true ? {} : spec;
    for (const key of Object.keys(options))
      if (!OPTION_KEYS.has(key)) throw invalid(here, `unknown option "${key}"`);
    const target = relation.target();
    const keys = relationKeys(entity, relation, target, (message) => invalid(here, message));
    if (
      !keys.many &&
      (options.where !== undefined || options.orderBy !== undefined || options.limit !== undefined)
    )
      throw invalid(here, 'where, orderBy and limit apply to to-many relations only');
    const limit = checkLimit(options.limit, `include.${here}.limit`, false) as number | undefined;
    nodes.push({
      name,
      relation,
      target,
      ...keys,
      where: options.where === undefined ? MATCH_ALL : normalizeWhere(target, options.where),
      orderBy: parseOrderBy(target, options.orderBy),
      limit,
      children:
        options.include === undefined
          ? []
          : planInclude(target, options.include, `${here}.include`, depth + 1),
    });
  }
  return nodes;
}
