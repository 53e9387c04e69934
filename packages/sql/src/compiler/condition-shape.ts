import type { Condition, EntityMeta } from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { bindsAsArray } from './compile-condition.js';
import { caseInsensitivePattern } from './case-insensitive-pattern.js';
import { likePattern } from './like-pattern.js';

/**
 * The shape of a condition, what its SQL text depends on (fields by their position in the entity, operators,
 * list lengths, nesting, literals), with the values `compileCondition` would bind pushed onto `values` in
 * placeholder order. Two conditions of one entity with the same shape compile to the same text. Returns
 * `undefined` for a condition whose text is not worth caching or not safe to key (a field the entity does
 * not declare: the compiler refuses it, so it must see it).
 *
 * It mirrors `compileCondition` leaf for leaf; `compileFindCached` checks the two agree on every shape it
 * caches (the values bound by the full compile must equal these).
 */
export function conditionShape(
  dialect: SqlDialect,
  entity: EntityMeta,
  condition: Condition,
  values: unknown[],
): string | undefined {
  switch (condition.type) {
    case 'literal':
      return condition.value ? 'T' : 'F';
    case 'compare': {
      const at = fieldAt(entity, condition.field);
      if (at < 0) return undefined;
      values.push(encodeValue(dialect, entity.fields[condition.field]!, condition.value));
      return `c${at}${condition.op};`;
    }
    case 'in': {
      if (condition.values.length === 0) return condition.negated ? 'iT' : 'iF';
      const at = fieldAt(entity, condition.field);
      if (at < 0) return undefined;
      const meta = entity.fields[condition.field]!;
      if (bindsAsArray(dialect, meta)) {
        // One array parameter: the text is the same for every list length.
        values.push(condition.values.map((v) => encodeValue(dialect, meta, v)));
        return `a${at}${condition.negated ? 'N' : ''};`;
      }
      for (const v of condition.values) values.push(encodeValue(dialect, meta, v));
      return `i${at},${condition.values.length}${condition.negated ? 'N' : ''};`;
    }
    case 'like': {
      const at = fieldAt(entity, condition.field);
      if (at < 0) return undefined;
      if (condition.caseInsensitive) {
        values.push(caseInsensitivePattern(dialect, condition.mode, condition.value));
        return `L${at}${condition.mode};`;
      }
      values.push(likePattern(dialect, condition.mode, condition.value));
      return `l${at}${condition.mode};`;
    }
    case 'null': {
      const at = fieldAt(entity, condition.field);
      if (at < 0) return undefined;
      return `n${at}${condition.isNull ? 'Y' : 'N'};`;
    }
    case 'and':
    case 'or': {
      let key = `${condition.type}(`;
      for (const c of condition.conditions) {
        const part = conditionShape(dialect, entity, c, values);
        if (part === undefined) return undefined;
        key += part;
      }
      return `${key})`;
    }
    case 'not': {
      const inner = conditionShape(dialect, entity, condition.condition, values);
      return inner === undefined ? undefined : `!(${inner})`;
    }
    default:
      return undefined;
  }
}

/** The field's position among the entity's declared fields, or -1 (an own, declared field only). */
export function fieldAt(entity: EntityMeta, name: string): number {
  return Object.hasOwn(entity.fields, name) ? entity.fieldNames.indexOf(name) : -1;
}
