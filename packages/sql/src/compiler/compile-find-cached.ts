import type { FindCommand } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { compileFind } from './compile-find.js';
import { ByIdTexts, byIdValue, isPlainReadById } from './compile-find-by-id.js';
import { conditionShape, fieldAt } from './condition-shape.js';
import { lockClause } from './lock-clause.js';
import { sameValues, shapeCache } from './shape-cache.js';

/** Per dialect and entity: find statement text by shape. */
const texts = shapeCache();

/** Per dialect and entity: the text of the plain read by id (see `isPlainReadById`). */
const byId = new ByIdTexts();

/** The shape key of a find (see `conditionShape`), or undefined when it is not cached. */
function findShape(dialect: SqlDialect, command: FindCommand, values: unknown[]): string | undefined {
  const { entity } = command;
  // Per-group reads are the loader's, with the keys of each batch: not a repeating shape worth a slot.
  if (command.perGroup || command.through) return undefined;
  let key = '';
  if (command.select) {
    for (const name of command.select) {
      const at = fieldAt(entity, name);
      if (at < 0) return undefined;
      key += `${at},`;
    }
  } else key = '*';
  key += '|';
  for (const order of command.orderBy) {
    const at = fieldAt(entity, order.field);
    if (at < 0) return undefined;
    key += `${at}${order.direction === 'desc' ? 'D' : 'A'},`;
  }
  const { limit } = command;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) return undefined;
  key += `|${limit ?? '-'}|${lockClause(dialect, command)}|`;
  const where = conditionShape(dialect, entity, command.where, values);
  return where === undefined ? undefined : key + where;
}

/**
 * `compileFind`, with the text cached per dialect, entity and query shape: a find by id or a keyset page
 * repeats one shape with new values, and writing its text again cost as much as the driver's own work on
 * the call. Only the values are computed per call; at most `SHAPES_PER_ENTITY` shapes are kept per entity. A shape is cached only after its first full compile
 * bound exactly the values the shape walk computes, so the cached text and the values always agree; a
 * command the compiler would refuse (an undeclared field, a bad limit, too many values) is never served
 * from the cache, it goes to `compileFind`, which throws.
 */
export function compileFindCached(dialect: SqlDialect, command: FindCommand): CompiledStatement {
  if (isPlainReadById(command)) return compileReadById(dialect, command);
  const values: unknown[] = [];
  const key = findShape(dialect, command, values);
  if (key === undefined || values.length > dialect.maxParameters) return compileFind(dialect, command);
  const shapes = texts(dialect, command.entity);
  const sql = shapes.get(key);
  if (sql !== undefined) return { sql, params: values };
  const compiled = compileFind(dialect, command);
  if (sameValues(compiled.params, values)) shapes.set(key, compiled.sql);
  return compiled;
}

/**
 * The plain read by id (see `isPlainReadById`), its text cached per dialect and entity without a shape key.
 * As for every cached shape, the text is kept only after a full compile bound exactly the value computed
 * here, and a read the compiler would refuse is never served from the cache.
 */
function compileReadById(dialect: SqlDialect, command: FindCommand): CompiledStatement {
  const params = byIdValue(dialect, command);
  if (params === undefined) return compileFind(dialect, command);
  const sql = byId.get(dialect, command.entity);
  if (sql !== undefined) return { sql, params };
  const compiled = compileFind(dialect, command);
  if (sameValues(compiled.params, params)) byId.set(dialect, command.entity, compiled.sql);
  return compiled;
}
