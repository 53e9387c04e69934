import type { EntityMeta } from '../../entity/define-entity.js';
import type { FieldKind, FieldMeta } from '../../entity/field.js';
import { validateValue } from '../../entity/validate-value.js';
import { DatabaseError } from '../../errors/database-error.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { CompareOp, Scalar } from '../condition.js';
import { normalizeWhere } from '../normalize-where.js';
import type {
  AggregateCommand,
  AggregateFunction,
  AggregateResultRow,
  AggregateSortKey,
  AggregateSpec,
  HavingCondition,
} from './aggregate-command.js';

const NUMERIC = new Set<FieldKind>(['integer', 'number']);
const ORDERED = new Set<FieldKind>([
  'integer',
  'number',
  'string',
  'id',
  'version',
  'datetime',
  'createdAt',
  'updatedAt',
]);
const OPS = new Set<string>(['eq', 'ne', 'gt', 'gte', 'lt', 'lte']);
const KEYS = new Set(['where', 'groupBy', 'count', 'sum', 'avg', 'min', 'max', 'having', 'orderBy', 'limit']);
const MAX_LIMIT = 10_000;

function fail(message: string, field?: string): never {
  throw new ValidationError(message, [{ ...(field ? { field } : {}), message }]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function fieldOf(entity: EntityMeta, name: unknown, what: string): FieldMeta {
  const meta =
    typeof name === 'string' && Object.hasOwn(entity.fields, name) ? entity.fields[name] : undefined;
  if (!meta) fail(`unknown field "${String(name)}" in ${what}`, String(name));
  return meta;
}

function fieldList(entity: EntityMeta, fn: string, value: unknown, kinds: ReadonlySet<FieldKind>): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`${fn} takes an array of field names`, fn);
  const seen = new Set<string>();
  for (const name of value) {
    const meta = fieldOf(entity, name, fn);
    if (!kinds.has(meta.kind)) fail(`${fn} does not apply to the ${meta.kind} field "${name}"`, name);
    if (seen.has(name)) fail(`${fn} lists "${name}" twice`, name);
    seen.add(name);
  }
  return [...seen];
}

/** The field whose kind decides how a computed value reads: its own field, or none for counts and averages. */
function valueMeta(entity: EntityMeta, spec: AggregateSpec): FieldMeta | undefined {
  return spec.fn === 'min' || spec.fn === 'max' ? entity.fields[spec.field!] : undefined;
}

function havingConditions(entity: EntityMeta, having: unknown, specs: AggregateSpec[]): HavingCondition[] {
  if (having === undefined) return [];
  if (!isPlainObject(having)) fail('having takes an object', 'having');
  const result: HavingCondition[] = [];
  const add = (key: string, ops: unknown) => {
    const spec = specs.find((s) => s.key === key);
    if (!spec) fail(`having on "${key}", which is not computed: ask for it too`, key);
    if (!isPlainObject(ops) || Object.keys(ops).length === 0) fail(`having.${key} takes comparisons`, key);
    const meta = valueMeta(entity, spec);
    for (const [op, value] of Object.entries(ops)) {
      if (!OPS.has(op)) fail(`unknown operator "${op}" in having.${key}`, key);
      if (meta) {
        const problem = validateValue(
          key,
          { ...meta, nullable: false, min: undefined, max: undefined },
          value,
        );
        if (problem) fail(`invalid having value for ${key}: ${problem.message}`, key);
      } else if (typeof value !== 'number' || !Number.isFinite(value)) {
        fail(`having.${key} compares with a finite number`, key);
      }
      result.push({ key, op: op as CompareOp, value: value as Scalar });
    }
  };
  for (const [name, value] of Object.entries(having)) {
    if (name === 'count') add('count', value);
    else if (name === 'sum' || name === 'avg' || name === 'min' || name === 'max') {
      if (!isPlainObject(value)) fail(`having.${name} takes an object of fields`, name);
      for (const [field, ops] of Object.entries(value)) add(`${name}.${field}`, ops);
    } else fail(`unknown key "${name}" in having`, name);
  }
  return result;
}

function sortKeys(
  entity: EntityMeta,
  orderBy: unknown,
  groupBy: string[],
  specs: AggregateSpec[],
): AggregateSortKey[] {
  const keys = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
  const result: AggregateSortKey[] = [];
  for (const raw of keys) {
    if (typeof raw !== 'string' || raw.length === 0)
      fail('an aggregate sort key must be a string', 'orderBy');
    const descending = raw.startsWith('-');
    const key = descending ? raw.slice(1) : raw;
    if (groupBy.includes(key)) {
      if (entity.fields[key]!.nullable) fail(`cannot sort on the nullable group field "${key}"`, key);
    } else if (!specs.some((s) => s.key === key)) {
      fail(`sort key "${key}" is neither a group field nor a computed value`, key);
    }
    if (result.some((k) => k.key === key)) fail(`sort key "${key}" given twice`, key);
    result.push({ key, direction: descending ? 'desc' : 'asc' });
  }
  // Ties are broken by the group fields, so the order (and a limit) is the same on every backend.
  for (const field of groupBy) {
    if (!entity.fields[field]!.nullable && !result.some((k) => k.key === field)) {
      result.push({ key: field, direction: 'asc' });
    }
  }
  return result;
}

/**
 * Validates `Repository.aggregate`'s options into an `AggregateCommand`: unknown options and fields,
 * functions on fields of the wrong kind, `having` or `orderBy` on values not computed, and a limit out of
 * range are refused with `ValidationError` before anything is sent.
 */
export function normalizeAggregate(entity: EntityMeta, options: unknown): AggregateCommand {
  if (!isPlainObject(options)) fail('aggregate takes an options object');
  for (const key of Object.keys(options)) if (!KEYS.has(key)) fail(`unknown aggregate option "${key}"`, key);
  const groupBy = fieldList(entity, 'groupBy', options.groupBy, new Set(ORDERED).add('boolean'));
  const specs: AggregateSpec[] = [];
  if (options.count !== undefined && options.count !== false) {
    if (options.count !== true) fail('count takes true', 'count');
    specs.push({ key: 'count', fn: 'count' });
  }
  const functions: Array<[AggregateFunction, ReadonlySet<FieldKind>]> = [
    ['sum', NUMERIC],
    ['avg', NUMERIC],
    ['min', ORDERED],
    ['max', ORDERED],
  ];
  for (const [fn, kinds] of functions) {
    for (const field of fieldList(entity, fn, options[fn], kinds))
      specs.push({ key: `${fn}.${field}`, fn, field });
  }
  if (specs.length === 0 && groupBy.length === 0)
    fail('aggregate computes nothing: ask for count, sum, avg, min or max');
  let limit: number | undefined;
  if (options.limit !== undefined) {
    const value = options.limit;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_LIMIT) {
      fail(`limit must be an integer from 1 to ${MAX_LIMIT}`, 'limit');
    }
    limit = value;
  }
  return {
    entity,
    where: normalizeWhere(entity, options.where),
    groupBy,
    aggregates: specs,
    having: havingConditions(entity, options.having, specs),
    orderBy: sortKeys(entity, options.orderBy, groupBy, specs),
    ...(limit === undefined ? {} : { limit }),
  };
}

/**
 * Turns an adapter's rows into the result shape: group fields at the top, then `count`, `sum`, `avg`,
 * `min`, `max` objects. An integer sum that is not a safe integer (the exact total exceeded 2^53-1, or a
 * backend summed in doubles past it) raises `DatabaseError` rather than returning a wrong number.
 */
export function shapeAggregateRows(command: AggregateCommand, rows: readonly AggregateResultRow[]): object[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const field of command.groupBy) out[field] = row.keys[field] ?? null;
    for (const spec of command.aggregates) {
      const value = row.values[spec.key];
      if (spec.fn === 'count') {
        out.count = value;
        continue;
      }
      if (
        spec.fn === 'sum' &&
        command.entity.fields[spec.field!]!.kind === 'integer' &&
        !Number.isSafeInteger(value)
      ) {
        throw new DatabaseError(
          `the sum of ${command.entity.name}.${spec.field} is beyond the safe integer range (2^53-1)`,
          'SUM_OVERFLOW',
        );
      }
      out[spec.fn] ??= {};
      const group = out[spec.fn] as Record<string, unknown>;
      group[spec.field!] = value ?? null;
    }
    return out;
  });
}
