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
  /** A private copy of the row's fields (see `snapshot`); keys that are not fields are left out. */
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
  return {
    build(values) {
      const row: StoredRow = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
      return row;
    },
    copy(row) {
      const copy: StoredRow = {};
      for (const name of names) copy[name] = copyValue(row[name]);
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
  const plain = `(x === null || (typeof x !== 'object' && typeof x !== 'function' && typeof x !== 'symbol') ? x : copy(x))`;
  const copyAll = `let x; return { ${keys.map((key) => `${key}: (x = r[${key}], ${plain})`).join(', ')} };`;
  const equal = `let x, y; return ${keys
    .map((key, i) => `((x = a[${key}]) === (y = b[${key}]) || eq(m[${i}], x, y))`)
    .join(' && ')};`;
  try {
    const makeBuild = new Function('v', build) as RowShape['build'];
    const makeCopy = new Function('copy', `return function copyRow(r) { ${copyAll} };`)(copyValue) as (
      row: StoredRow,
    ) => StoredRow;
    const makeEqual = new Function('eq', 'm', `return function rowsEqual(a, b) { ${equal} };`)(
      valuesEqual,
      metas,
    ) as RowShape['equal'];
    return { build: makeBuild, copy: makeCopy, equal: makeEqual };
  } catch {
    return undefined;
  }
}
