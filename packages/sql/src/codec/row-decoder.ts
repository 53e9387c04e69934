import type { EntityMeta, FieldMeta, StoredRow } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { decodeValue } from './row-codec.js';

/** Decodes one driver row into a `StoredRow` of the entity's fields (see `decodeRow`). */
export type RowDecoder = (row: Record<string, unknown>) => StoredRow;

/**
 * Decodes one driver row read as an array (pg's `rowMode: 'array'`: the column values in select order,
 * which for a full row is the entity's field order) into a `StoredRow` of the entity's fields.
 */
export type ArrayRowDecoder = (row: readonly unknown[]) => StoredRow;

/** Per dialect and entity object: the full-row decoder, made on first use. */
const decoders = new WeakMap<SqlDialect, WeakMap<EntityMeta, RowDecoder>>();

/** The same for rows read as arrays. */
const arrayDecoders = new WeakMap<SqlDialect, WeakMap<EntityMeta, ArrayRowDecoder>>();

/**
 * The test of a field's common case, a value the driver already gave in berth's form, which is returned
 * as it is (exactly what `decodeValue` returns for it); anything else goes through `decodeValue`.
 */
function fastTest(field: FieldMeta): string | undefined {
  switch (field.kind) {
    case 'id':
      return field.idStrategy === 'increment' ? "typeof v === 'number'" : "typeof v === 'string'";
    case 'string':
      return "typeof v === 'string'";
    case 'integer':
    case 'version':
    case 'number':
      return "typeof v === 'number'";
    case 'boolean':
      return "typeof v === 'boolean'";
    case 'datetime':
    case 'createdAt':
    case 'updatedAt':
      return 'v instanceof Date';
    default:
      return undefined;
  }
}

/**
 * A second common case, tested after `fastTest`'s: an integer field's int8 column, which pg hands back as
 * text (`12` as `'12'`). `+v` is what `decodeValue` computes for it (`Number(String(v))`); a text that is
 * not a number (NaN) goes to `decodeValue`, which raises.
 */
function numericText(field: FieldMeta): boolean {
  switch (field.kind) {
    case 'id':
      return field.idStrategy === 'increment';
    case 'integer':
    case 'version':
    case 'number':
      return true;
    default:
      return false;
  }
}

/**
 * A decoder generated for the entity: one object literal of fixed shape, each field's common case tested
 * inline. The `i`th field is read as `row[<name>]` from an object row, or as `row[i]` from an array row
 * (`byIndex`). Field names enter the source only as JSON string literals, and `__proto__` (which a literal
 * would turn into a prototype) falls back to the loop. Returns undefined where code cannot be generated
 * (a runtime without `Function`, such as some edge workers), and the caller loops instead.
 */
function generate(
  dialect: SqlDialect,
  entity: EntityMeta,
  byIndex: boolean,
): ((row: never) => StoredRow) | undefined {
  const names = entity.fieldNames;
  if (names.includes('__proto__')) return undefined;
  const slow = names.map((name) => {
    const field = entity.fields[name]!;
    return (v: unknown) => decodeValue(dialect, field, v);
  });
  const lines = names.map((name, i) => {
    const key = JSON.stringify(name);
    const field = entity.fields[name]!;
    const test = fastTest(field);
    const text = numericText(field) ? `typeof v === 'string' && (n = +v, n === n) ? n : ` : '';
    const read = `(v = row[${byIndex ? i : key}], v === null || v === undefined ? null : ${test ? `${test} ? v : ` : ''}${text}s[${i}](v))`;
    return `${key}: ${read}`;
  });
  try {
    const make = new Function(
      's',
      `return function decode(row) { let v, n; return { ${lines.join(', ')} }; };`,
    );
    return make(slow) as (row: never) => StoredRow;
  } catch {
    return undefined;
  }
}

/** The field-by-field loop, where no decoder is generated. */
function loop(dialect: SqlDialect, entity: EntityMeta): RowDecoder {
  return (row) => {
    const result: StoredRow = {};
    for (const name of entity.fieldNames)
      result[name] = decodeValue(dialect, entity.fields[name]!, row[name]);
    return result;
  };
}

/** The same loop over an array row. */
function arrayLoop(dialect: SqlDialect, entity: EntityMeta): ArrayRowDecoder {
  return (row) => decodeArrayFields(dialect, entity, row, entity.fieldNames);
}

/** `fields` decoded from the columns of an array row, the `i`th field from `row[i]`. */
function decodeArrayFields(
  dialect: SqlDialect,
  entity: EntityMeta,
  row: readonly unknown[],
  fields: readonly string[],
): StoredRow {
  const result: StoredRow = {};
  for (let i = 0; i < fields.length; i++) {
    const name = fields[i]!;
    result[name] = decodeValue(dialect, entity.fields[name]!, row[i]);
  }
  return result;
}

/**
 * The decoder of full rows of `entity` (every field, in field order) for `dialect`, made once per entity
 * object: reading a page decoded 21 rows field by field through a generic switch, which cost as much as
 * the driver's own parsing of them. It returns what `decodeRow` returns for the same row.
 */
export function rowDecoder(dialect: SqlDialect, entity: EntityMeta): RowDecoder {
  let byEntity = decoders.get(dialect);
  if (!byEntity) {
    byEntity = new WeakMap();
    decoders.set(dialect, byEntity);
  }
  let decoder = byEntity.get(entity);
  if (!decoder) {
    decoder = (generate(dialect, entity, false) as RowDecoder | undefined) ?? loop(dialect, entity);
    byEntity.set(entity, decoder);
  }
  return decoder;
}

/**
 * `rowDecoder` for rows read as arrays (every field, in field order): the decoder reads each column by
 * its index, so the object it builds is the only one per row (pg's object rows cost a copy of a template
 * object per row, and in a process of many statement shapes that copy takes V8's slow path). It returns
 * what `rowDecoder` returns for the object row of the same values.
 */
export function arrayRowDecoder(dialect: SqlDialect, entity: EntityMeta): ArrayRowDecoder {
  let byEntity = arrayDecoders.get(dialect);
  if (!byEntity) {
    byEntity = new WeakMap();
    arrayDecoders.set(dialect, byEntity);
  }
  let decoder = byEntity.get(entity);
  if (!decoder) {
    decoder = (generate(dialect, entity, true) as ArrayRowDecoder | undefined) ?? arrayLoop(dialect, entity);
    byEntity.set(entity, decoder);
  }
  return decoder;
}

/**
 * Decodes a driver row into a `StoredRow` holding exactly the entity's fields, or only `fields` when given
 * (a projection). Full rows go through the entity's generated decoder (`rowDecoder`).
 */
export function decodeRow(
  dialect: SqlDialect,
  entity: EntityMeta,
  row: Record<string, unknown>,
  fields: readonly string[] = entity.fieldNames,
): StoredRow {
  if (fields === entity.fieldNames) return rowDecoder(dialect, entity)(row);
  const result: StoredRow = {};
  for (const name of fields) {
    result[name] = decodeValue(dialect, entity.fields[name]!, row[name]);
  }
  return result;
}

/**
 * `decodeRow` for a row read as an array whose columns are `fields` in order (the entity's field names
 * for a full row, or a projection's). Full rows go through the entity's generated decoder
 * (`arrayRowDecoder`).
 */
export function decodeArrayRow(
  dialect: SqlDialect,
  entity: EntityMeta,
  row: readonly unknown[],
  fields: readonly string[] = entity.fieldNames,
): StoredRow {
  if (fields === entity.fieldNames) return arrayRowDecoder(dialect, entity)(row);
  return decodeArrayFields(dialect, entity, row, fields);
}
