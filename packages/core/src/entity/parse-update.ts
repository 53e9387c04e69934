import type { NumericOperation } from '../driver/write-commands.js';
import { MAX_ROUNDING_SCALE, decimalOperand, multiplyRounded } from './decimal-operand.js';
import type { StoredRow } from '../driver/commands.js';
import { ValidationError } from '../errors/validation-error.js';
import type { EntityMeta } from './define-entity.js';
import { validatePatch } from './build-row.js';
import type { FieldMeta } from './field.js';
import { NUMERIC_KINDS } from './update-of.js';

const OPERATOR_KEYS = new Set(['increment', 'decrement', 'multiply', 'set']);

/** A validated update: plain values to write, and operations the database computes. */
export interface ParsedUpdate {
  /** The plain values to write, validated against their fields, by field name. */
  readonly set: StoredRow;
  /** The atomic changes (`increment`, `decrement`, `multiply`), each with its field's bounds. */
  readonly operations: readonly NumericOperation[];
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * The range an operation's result must stay in: the declared bounds, and for integers the safe-integer
 * range (beyond it a stored value could not be read back exactly). Integer bounds are rounded inwards so
 * that the database compares integers with integers.
 */
function bounds(meta: FieldMeta): { min?: number; max?: number } {
  if (meta.kind !== 'integer') return { min: meta.min, max: meta.max };
  return {
    min: Math.max(Math.ceil(meta.min ?? Number.MIN_SAFE_INTEGER), Number.MIN_SAFE_INTEGER),
    max: Math.min(Math.floor(meta.max ?? Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER),
  };
}

function operation(
  entity: EntityMeta,
  name: string,
  value: Record<string, unknown>,
): NumericOperation | number {
  const meta = Object.hasOwn(entity.fields, name) ? entity.fields[name] : undefined;
  const fail = (message: string): never => {
    throw new ValidationError(`invalid change to ${entity.name}: ${name} ${message}`, [
      { field: name, message: `${name} ${message}` },
    ]);
  };
  if (!meta || !NUMERIC_KINDS.has(meta.kind))
    return fail('takes no operator (only integer and number fields do)');
  // SQL's NULL + 1 is NULL while MongoDB refuses $inc on null: no portable meaning, so refused.
  if (meta.nullable) return fail('is nullable: operators apply to non-nullable fields only');
  const keys = Object.keys(value);
  if (Object.hasOwn(value, 'round')) return roundingMultiply(meta, name, value, keys, fail);
  if (keys.length !== 1 || !OPERATOR_KEYS.has(keys[0]!))
    return fail('needs exactly one of increment, decrement, multiply, set');
  const key = keys[0]!;
  const by = value[key];
  if (typeof by !== 'number' || !Number.isFinite(by)) return fail(`${key} needs a finite number`);
  if (meta.kind === 'integer' && !Number.isSafeInteger(by))
    return fail(
      key === 'multiply'
        ? "multiply needs a safe integer (or round: 'half-away-from-zero' to round the product)"
        : `${key} needs a safe integer`,
    );
  if (key === 'set') return by;
  const range = bounds(meta);
  if (key === 'multiply') return { field: name, op: 'multiply', by, ...range };
  return { field: name, op: 'increment', by: key === 'decrement' ? -by : by, ...range };
}

/** `{ multiply: n, round: 'half-away-from-zero' }`: integer fields only, any operand of few enough places. */
function roundingMultiply(
  meta: FieldMeta,
  name: string,
  value: Record<string, unknown>,
  keys: string[],
  fail: (message: string) => never,
): NumericOperation {
  if (keys.length !== 2 || !Object.hasOwn(value, 'multiply'))
    return fail('takes round only together with multiply');
  if (value.round !== 'half-away-from-zero') return fail("round must be 'half-away-from-zero'");
  if (meta.kind !== 'integer') return fail('is not an integer field: round applies to integer fields only');
  const by = value.multiply;
  if (typeof by !== 'number' || !Number.isFinite(by)) return fail('multiply needs a finite number');
  if (Math.abs(by) > Number.MAX_SAFE_INTEGER)
    return fail('multiply needs an operand within the safe-integer range');
  if (decimalOperand(by) === undefined)
    return fail(`multiply with round takes at most ${MAX_ROUNDING_SCALE} decimal places`);
  return { field: name, op: 'multiply', by, round: 'half-away-from-zero', ...bounds(meta) };
}

/**
 * Validates the patch of `update`/`updateMany`: plain values as `validatePatch` does, and numeric
 * operators (see `NumericOperator`). `{ set: n }` becomes a plain value. Throws one `ValidationError`.
 */
export function parseUpdate(entity: EntityMeta, input: unknown): ParsedUpdate {
  const proto = typeof input === 'object' && input !== null ? Object.getPrototypeOf(input) : undefined;
  // Exactly what validatePatch accepts: a plain object (a Date or Map is not a patch).
  if (proto !== Object.prototype && proto !== null)
    throw new ValidationError(`a change to ${entity.name} must be an object`);
  const plain: Record<string, unknown> = {};
  const operations: NumericOperation[] = [];
  for (const [name, value] of Object.entries(input as Record<string, unknown>)) {
    const meta = Object.hasOwn(entity.fields, name) ? entity.fields[name] : undefined;
    // Only numeric fields read an object as an operator; for any other field it is a value to validate.
    if (meta && NUMERIC_KINDS.has(meta.kind) && isOperatorObject(value)) {
      const parsed = operation(entity, name, value);
      if (typeof parsed === 'number') plain[name] = parsed;
      else operations.push(parsed);
    } else plain[name] = value;
  }
  return { set: validatePatch(entity, plain), operations };
}

/** The value an operation gives a stored value (what the database computes, for diagnosis). */
export function applyOperation(op: NumericOperation, current: number): number {
  if (op.round !== undefined) return multiplyRounded(current, decimalOperand(op.by)!);
  return op.op === 'increment' ? current + op.by : current * op.by;
}

/** Whether an operation's result on this stored value stays within its bounds. */
export function withinBounds(op: NumericOperation, current: number): boolean {
  const next = applyOperation(op, current);
  return (op.min === undefined || next >= op.min) && (op.max === undefined || next <= op.max);
}
