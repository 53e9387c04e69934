import type { EntityMeta } from '../entity/define-entity.js';
import type { FieldMeta } from '../entity/field.js';
import { validateValue } from '../entity/validate-value.js';
import { relationCondition } from '../relation/relation-filter.js';
import { ValidationError } from '../errors/validation-error.js';
import { type CompareOp, type Condition, type LikeMode, type Scalar, and, or } from './condition.js';
import { FILTER_LIMITS } from './filter-limits.js';
import { refuseSparse } from './sparse-array.js';

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'gt', 'gte', 'lt', 'lte']);
const LIKE_OPS = new Set<string>(['contains', 'startsWith', 'endsWith']);
const FIELD_OPS = new Set<string>([
  ...COMPARE_OPS,
  ...LIKE_OPS,
  'in',
  'notIn',
  'isNull',
  'mode',
  'between',
  'not',
]);
const { maxDepth: MAX_DEPTH, maxInValues: MAX_IN_VALUES, maxListFilters, maxConditions } = FILTER_LIMITS;

/** Counts field conditions across one filter, so the whole filter stays within `maxConditions`. */
interface Budget {
  conditions: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Kinds no filter reaches: JSON (no portable comparison), decimal (MongoDB's Decimal128 is not compared
 * numerically by every server berth talks to) and bytes (no ordering people ask for).
 */
export const UNQUERYABLE_KINDS: ReadonlySet<string> = new Set(['json', 'decimal', 'bytes']);

function fieldOf(entity: EntityMeta, name: string): FieldMeta {
  const meta = Object.hasOwn(entity.fields, name) ? entity.fields[name] : undefined;
  if (!meta)
    throw new ValidationError(`unknown field "${name}" in filter`, [
      { field: name, message: 'unknown field' },
    ]);
  if (UNQUERYABLE_KINDS.has(meta.kind)) {
    throw new ValidationError(`field "${name}" cannot be filtered on`, [
      { field: name, message: 'not filterable' },
    ]);
  }
  return meta;
}

/** Per field (entity definitions are frozen), the meta a filter value is checked against; built once. */
const FILTER_META = new WeakMap<FieldMeta, FieldMeta>();

function filterMeta(meta: FieldMeta): FieldMeta {
  let checked = FILTER_META.get(meta);
  if (checked === undefined) {
    // Range checks (min/max) do not apply to filter values: `salary < 0` is a fair question.
    checked = { ...meta, nullable: false, min: undefined, max: undefined };
    FILTER_META.set(meta, checked);
  }
  return checked;
}

function scalar(name: string, meta: FieldMeta, value: unknown): Scalar {
  const problem = validateValue(name, filterMeta(meta), value);
  if (problem) throw new ValidationError(`invalid filter value: ${problem.message}`, [problem]);
  return value as Scalar;
}

function compare(name: string, meta: FieldMeta, op: CompareOp, value: unknown): Condition {
  if (value === null) {
    if (op === 'eq') return { type: 'null', field: name, isNull: true };
    if (op === 'ne') return { type: 'null', field: name, isNull: false };
    throw new ValidationError(`"${op}" cannot compare with null`, [
      { field: name, message: 'null comparison' },
    ]);
  }
  const leaf: Condition = { type: 'compare', field: name, op, value: scalar(name, meta, value) };
  // Two-valued semantics: `ne` also matches nulls; every other comparison never does (see Condition).
  if (meta.nullable && op === 'ne') return or(leaf, { type: 'null', field: name, isNull: true });
  if (meta.nullable) return and({ type: 'null', field: name, isNull: false }, leaf);
  return leaf;
}

function list(name: string, meta: FieldMeta, op: string, value: unknown): Scalar[] {
  if (!Array.isArray(value))
    throw new ValidationError(`"${op}" on ${name} takes an array`, [{ field: name, message: op }]);
  if (value.length > MAX_IN_VALUES) {
    throw new ValidationError(`"${op}" on ${name} takes at most ${MAX_IN_VALUES} values`, [
      { field: name, message: op },
    ]);
  }
  refuseSparse(value, `"${op}" on ${name}`, name);
  return value.map((item) => scalar(name, meta, item));
}

function caseMode(name: string, filter: Record<string, unknown>): boolean {
  const mode = filter.mode;
  if (mode === undefined) return false;
  if (mode !== 'sensitive' && mode !== 'insensitive') {
    throw new ValidationError(`"mode" on ${name} is "sensitive" or "insensitive"`, [
      { field: name, message: 'mode' },
    ]);
  }
  if (!Object.keys(filter).some((op) => LIKE_OPS.has(op))) {
    throw new ValidationError(`"mode" on ${name} applies to contains, startsWith and endsWith only`, [
      { field: name, message: 'mode' },
    ]);
  }
  return mode === 'insensitive';
}

function between(name: string, meta: FieldMeta, value: unknown): Condition {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new ValidationError(`"between" on ${name} takes [low, high]`, [
      { field: name, message: 'between' },
    ]);
  }
  return and(compare(name, meta, 'gte', value[0]), compare(name, meta, 'lte', value[1]));
}

function fieldCondition(
  entity: EntityMeta,
  name: string,
  filter: unknown,
  budget: Budget,
  depth = 0,
): Condition {
  const meta = fieldOf(entity, name);
  if (++budget.conditions > maxConditions) {
    throw new ValidationError(`a filter may hold at most ${maxConditions} field conditions`);
  }
  if (filter instanceof Date || !isPlainObject(filter)) return compare(name, meta, 'eq', filter);
  if (depth > MAX_DEPTH) throw new ValidationError(`filter nested deeper than ${MAX_DEPTH} levels`);
  const parts: Condition[] = [];
  const keys = Object.keys(filter);
  if (keys.length === 0)
    throw new ValidationError(`empty filter on ${name}`, [{ field: name, message: 'empty filter' }]);
  const caseInsensitive = caseMode(name, filter);
  for (const op of keys) {
    if (!FIELD_OPS.has(op)) {
      throw new ValidationError(`unknown filter operator "${op}" on ${name}`, [
        { field: name, message: 'unknown operator' },
      ]);
    }
    const value = filter[op];
    if (op === 'mode') continue;
    if (COMPARE_OPS.has(op)) parts.push(compare(name, meta, op as CompareOp, value));
    else if (op === 'between') parts.push(between(name, meta, value));
    else if (op === 'not') {
      // Two-valued conditions (see Condition): the negation of the inner filter is exact, nulls included.
      const inner = fieldCondition(entity, name, value, budget, depth + 1);
      parts.push(
        inner.type === 'literal'
          ? { type: 'literal', value: !inner.value }
          : { type: 'not', condition: inner },
      );
    } else if (op === 'in' || op === 'notIn') {
      const values = list(name, meta, op, value);
      const negated = op === 'notIn';
      if (values.length === 0) parts.push({ type: 'literal', value: negated });
      else {
        const leaf: Condition = { type: 'in', field: name, values, negated };
        if (meta.nullable && negated) parts.push(or(leaf, { type: 'null', field: name, isNull: true }));
        else if (meta.nullable) parts.push(and({ type: 'null', field: name, isNull: false }, leaf));
        else parts.push(leaf);
      }
    } else if (LIKE_OPS.has(op)) {
      if (meta.kind !== 'string' && (meta.kind !== 'id' || meta.idStrategy === 'increment')) {
        throw new ValidationError(`"${op}" applies to string fields only`, [{ field: name, message: op }]);
      }
      const text = scalar(name, meta, value) as string;
      const leaf: Condition = {
        type: 'like',
        field: name,
        mode: op as LikeMode,
        value: text,
        ...(caseInsensitive ? { caseInsensitive: true } : {}),
      };
      parts.push(meta.nullable ? and({ type: 'null', field: name, isNull: false }, leaf) : leaf);
    } else {
      if (typeof value !== 'boolean')
        throw new ValidationError(`"isNull" on ${name} takes a boolean`, [
          { field: name, message: 'isNull' },
        ]);
      parts.push({ type: 'null', field: name, isNull: value });
    }
  }
  return and(...parts);
}

function normalize(entity: EntityMeta, where: unknown, depth: number, budget: Budget): Condition {
  if (depth > MAX_DEPTH) throw new ValidationError(`filter nested deeper than ${MAX_DEPTH} levels`);
  if (!isPlainObject(where)) throw new ValidationError('a filter must be an object');
  const parts: Condition[] = [];
  for (const key of Object.keys(where)) {
    const value = where[key];
    if (value === undefined) continue;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new ValidationError(`"${key}" takes an array of filters`);
      if (value.length > maxListFilters) {
        throw new ValidationError(
          `"${key}" takes at most ${maxListFilters} filters (use "in" for a long list of values)`,
        );
      }
      refuseSparse(value, `"${key}"`);
      const items = value.map((item) => normalize(entity, item, depth + 1, budget));
      parts.push(key === 'and' ? and(...items) : or(...items));
    } else if (key === 'not') {
      const inner = normalize(entity, value, depth + 1, budget);
      parts.push(
        inner.type === 'literal'
          ? { type: 'literal', value: !inner.value }
          : { type: 'not', condition: inner },
      );
    } else if (
      !Object.hasOwn(entity.fields, key) &&
      entity.relations &&
      Object.hasOwn(entity.relations, key)
    ) {
      if (++budget.conditions > maxConditions) {
        throw new ValidationError(`a filter may hold at most ${maxConditions} field conditions`);
      }
      const nested = (target: EntityMeta, inner: unknown) => normalize(target, inner, depth + 1, budget);
      parts.push(relationCondition(entity, key, entity.relations[key]!, value, nested));
    } else {
      parts.push(fieldCondition(entity, key, value, budget));
    }
  }
  return and(...parts);
}

/**
 * Turns a caller's `Where` into the normalized `Condition` adapters compile. Every field name must be a
 * declared, filterable field; every value must have the field's type; unknown operators are refused.
 * This is where a filter built from client input is made safe: nothing else reaches an adapter. Sparse
 * arrays are refused, and so is a filter past `FILTER_LIMITS` (depth, list lengths, total conditions).
 * A key naming a relation is a relation filter (see `relationCondition` and docs/relations.md); each level
 * of relation counts as one level of depth.
 */
export function normalizeWhere(entity: EntityMeta, where: unknown): Condition {
  if (where === undefined) return { type: 'literal', value: true };
  return normalize(entity, where, 0, { conditions: 0 });
}
