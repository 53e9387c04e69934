import { isPlainObject, MAX_INCLUDE_DEPTH } from './plan-include.js';

/**
 * The shape key of an `include` whose plan depends on nothing but its relation names, `orderBy` strings,
 * `limit` numbers and nesting: two includes with the same key plan to the same nodes. Undefined for any
 * other include (a `where`, an option of another type, an unknown option, too deep, not a plain object):
 * those are planned afresh on every read, and `planInclude` reports what is wrong with them.
 *
 * Every name and string enters the key length-prefixed, so no two different includes share a key.
 */
export function includeShape(include: unknown, depth = 1): string | undefined {
  if (depth > MAX_INCLUDE_DEPTH || !isPlainObject(include)) return undefined;
  let key = '{';
  for (const name in include) {
    if (!Object.hasOwn(include, name)) continue;
    const spec = include[name];
    key += `${name.length}:${name}`;
    if (spec === true) {
      key += 'T';
      continue;
    }
    if (!isPlainObject(spec)) return undefined;
    key += '(';
    for (const option in spec) {
      if (!Object.hasOwn(spec, option)) continue;
      const value = spec[option];
      if (value === undefined) continue;
      switch (option) {
        case 'orderBy': {
          key += 'o';
          if (typeof value === 'string') key += `${value.length}:${value}`;
          else if (Array.isArray(value)) {
            key += '[';
            for (const sort of value) {
              if (typeof sort !== 'string') return undefined;
              key += `${sort.length}:${sort}`;
            }
            key += ']';
          } else return undefined;
          break;
        }
        case 'limit':
          if (typeof value !== 'number') return undefined;
          key += `l${value};`;
          break;
        case 'include': {
          const inner = includeShape(value, depth + 1);
          if (inner === undefined) return undefined;
          key += `i${inner}`;
          break;
        }
        default:
          // `where` carries values of any kind: not keyed (and an unknown option is planInclude's to refuse).
          return undefined;
      }
    }
    key += ')';
  }
  return `${key}}`;
}
