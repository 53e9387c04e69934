import type { DeleteCommand, EntityMeta } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { compileDelete } from './compile-delete.js';
import { conditionShape } from './condition-shape.js';
import { sameValues, shapeCache } from './shape-cache.js';

/** Per dialect and entity: DELETE text by the filter's shape. */
const texts = shapeCache();

/**
 * `compileDelete` with its text cached per dialect, entity and filter shape: a delete by id (and version)
 * repeats one shape with new values. As with `compileModifyCached`, a shape is cached only once a full
 * compile bound exactly the values the shape walk computes; whatever the compiler would refuse goes to it.
 */
export function compileDeleteCached(dialect: SqlDialect, command: DeleteCommand): CompiledStatement {
  const values: unknown[] = [];
  const key = conditionShape(dialect, command.entity, command.where, values);
  if (key === undefined || values.length > dialect.maxParameters) return compileDelete(dialect, command);
  const shapes = texts(dialect, command.entity as EntityMeta);
  const sql = shapes.get(key);
  if (sql !== undefined) return { sql, params: values };
  const compiled = compileDelete(dialect, command);
  if (sameValues(compiled.params, values)) shapes.set(key, compiled.sql);
  return compiled;
}
