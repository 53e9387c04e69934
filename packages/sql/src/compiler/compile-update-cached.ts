import type { EntityMeta, UpdateCommand } from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { compileUpdate } from './compile-update.js';
import { conditionShape, fieldAt } from './condition-shape.js';
import { sameValues, shapeCache } from './shape-cache.js';

/** Per dialect and entity: UPDATE text by shape. */
const texts = shapeCache();

/**
 * The shape of an update (the fields set, by position, and the filter's shape), with the values
 * `compileUpdate` binds pushed onto `values` in its order: assignments, then the filter. Undefined when not
 * cached (an empty SET or an undeclared field: the compiler refuses those, so it must see them).
 */
function updateShape(dialect: SqlDialect, command: UpdateCommand, values: unknown[]): string | undefined {
  const { entity, set } = command;
  let key = '';
  for (const name of Object.keys(set)) {
    const at = fieldAt(entity, name);
    if (at < 0) return undefined;
    values.push(encodeValue(dialect, entity.fields[name]!, set[name]));
    key += `${at},`;
  }
  if (key === '') return undefined;
  const where = conditionShape(dialect, entity, command.where, values);
  return where === undefined ? undefined : `${key}|${where}`;
}

/**
 * `compileUpdate` with its text cached per dialect, entity and shape: a unit of work's update of one row,
 * and the read-then-write update of backends without `RETURNING`, repeat one shape with new values. A shape
 * is cached only once a full compile bound exactly the values the shape walk computes.
 */
export function compileUpdateCached(dialect: SqlDialect, command: UpdateCommand): CompiledStatement {
  const values: unknown[] = [];
  const key = updateShape(dialect, command, values);
  if (key === undefined || values.length > dialect.maxParameters) return compileUpdate(dialect, command);
  const shapes = texts(dialect, command.entity as EntityMeta);
  const sql = shapes.get(key);
  if (sql !== undefined) return { sql, params: values };
  const compiled = compileUpdate(dialect, command);
  if (sameValues(compiled.params, values)) shapes.set(key, compiled.sql);
  return compiled;
}
