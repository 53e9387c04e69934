import type { StoredRow } from '../driver/commands.js';
import { valuesEqual } from '../repository/values-equal.js';
import type { EntityMeta } from './define-entity.js';

/**
 * Code over an entity's rows, made once per entity: a bulk write runs it for every row, thousands of times.
 * Generated where the runtime allows (`new Function`), as the SQL layer's row decoder is: each row is then
 * one object literal of fixed shape (every field in-object, no property store growing the object field by
 * field), and fields are read by name, not by a key that changes from one iteration to the next.
 */
export interface RowShape {
  /** A new row holding `values[i]` under the entity's `i`-th field (declaration order). */
  readonly build: (values: readonly unknown[]) => StoredRow;
  /**
   * A private copy of the row's fields (see `snapshot`); keys that are not fields are left out. Its Dates
   * may be shared with other copies this shape made (see `sharedDates`): a copy is read, compared and
   * written, never changed in place, and none of its Dates is ever handed to a caller.
   */
  readonly copy: (row: StoredRow) => StoredRow;
  /** Whether two rows hold the same stored value in every field (see `valuesEqual`). */
  readonly equal: (a: StoredRow, b: StoredRow) => boolean;
}

/** A copy of one value: primitives shared (immutable), Dates copied, anything else deep-copied. */
export function copyValue(value: unknown): unknown {
  if (
    value === null ||
    (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')
  )
    return value;
  if (value instanceof Date) return new Date(value.getTime());
  // Also throws for what it cannot copy (a function), as it did for a whole row.
  return structuredClone(value);
}

/**
 * A copier of field values for private copies (snapshots) that shares Dates: per field position, the last
 * Date copied is reused for the next value of that field holding the same instant. A bulk of rows persisted
 * in one loop holds the same few instants (createdAt and updatedAt of one millisecond, a shared hire date),
 * so its snapshots hold a handful of Dates instead of one per Date field per row. Safe because the copies
 * are never changed in place and never handed out: a caller's row always has Dates of its own, and a Date
 * the caller changes in place is still found changed (its instant differs from the shared copy's).
 * An invalid Date (NaN) is never shared.
 */
function sharedDates(count: number): (i: number, value: unknown) => unknown {
  const times = new Float64Array(count).fill(Number.NaN);
  const dates: (Date | undefined)[] = new Array(count).fill(undefined);
  return (i, value) => {
    if (!(value instanceof Date)) return copyValue(value);
    const time = value.getTime();
    if (time === times[i]) return dates[i];
    const copy = new Date(time);
    times[i] = time;
    dates[i] = copy;
    return copy;
  };
}

const shapes = new WeakMap<EntityMeta, RowShape>();

/** The entity's row code, made on first use. */
export function rowShape(entity: EntityMeta): RowShape {
  let shape = shapes.get(entity);
  if (!shape) {
    shape = generate(entity) ?? loops(entity);
    shapes.set(entity, shape);
  }
  return shape;
}

/** The same functions as loops over the field names: where code cannot be generated. */
function loops(entity: EntityMeta): RowShape {
  const names = entity.fieldNames;
  const copyAt = sharedDates(names.length);
  return {
    build(values) {
      const row: StoredRow = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
      return row;
    },
    copy(row) {
      const copy: StoredRow = {};
      for (let i = 0; i < names.length; i++) copy[names[i]!] = copyAt(i, row[names[i]!]);
      return copy;
    },
    equal(a, b) {
      for (const name of names) if (!valuesEqual(entity.fields[name]!, a[name], b[name])) return false;
      return true;
    },
  };
}

/**
 * Field names enter the source only as JSON string literals; `__proto__` (which a literal would turn into
 * a prototype) falls back to the loops. A field the row lacks is copied as `undefined` (the loop leaves it
 * out): the same stored value to every comparison and to every write.
 */
function generate(entity: EntityMeta): RowShape | undefined {
  const names = entity.fieldNames;
  if (names.includes('__proto__')) return undefined;
  const keys = names.map((name) => JSON.stringify(name));
  const metas = names.map((name) => entity.fields[name]!);
  const build = `return { ${keys.map((key, i) => `${key}: v[${i}]`).join(', ')} };`;
  const plain = (i: number) =>
    `(x === null || (typeof x !== 'object' && typeof x !== 'function' && typeof x !== 'symbol') ? x : copy(${i}, x))`;
  const copyAll = `let x; return { ${keys.map((key, i) => `${key}: (x = r[${key}], ${plain(i)})`).join(', ')} };`;
  const equal = `let x, y; return ${keys
    .map((key, i) => `((x = a[${key}]) === (y = b[${key}]) || eq(m[${i}], x, y))`)
    .join(' && ')};`;
  try {
    const makeBuild = new Function('v', build) as RowShape['build'];
    const makeCopy = new Function('copy', `return function copyRow(r) { ${copyAll} };`)(
      sharedDates(names.length),
    ) as (row: StoredRow) => StoredRow;
    const makeEqual = new Function('eq', 'm', `return function rowsEqual(a, b) { ${equal} };`)(
      valuesEqual,
      metas,
    ) as RowShape['equal'];
    return { build: makeBuild, copy: makeCopy, equal: makeEqual };
  } catch {
    return undefined;
  }
}
