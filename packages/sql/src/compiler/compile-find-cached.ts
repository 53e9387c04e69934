import type { EntityMeta, FindCommand } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { compileFind } from './compile-find.js';
import { conditionShape, fieldAt } from './condition-shape.js';
import { lockClause } from './lock-clause.js';

/** Shapes kept per dialect and entity; past it the oldest is dropped (a bound for generated filters). */
export const FIND_SHAPES_PER_ENTITY = 256;

/** Per dialect, per entity object (never by name: two definitions of one table never share text). */
const cache = new WeakMap<SqlDialect, WeakMap<EntityMeta, Map<string, string>>>();

function shapesOf(dialect: SqlDialect, entity: EntityMeta): Map<string, string> {
  let byEntity = cache.get(dialect);
  if (!byEntity) {
    byEntity = new WeakMap();
    cache.set(dialect, byEntity);
  }
  let shapes = byEntity.get(entity);
  if (!shapes) {
    shapes = new Map();
    byEntity.set(entity, shapes);
  }
  return shapes;
}

/** The shape key of a find (see `conditionShape`), or undefined when it is not cached. */
function findShape(dialect: SqlDialect, command: FindCommand, values: unknown[]): string | undefined {
  const { entity } = command;
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

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * `compileFind`, with the text cached per dialect, entity and query shape: a find by id or a keyset page
 * repeats one shape with new values, and writing its text again cost as much as the driver's own work on
 * the call. Only the values are computed per call. A shape is cached only after its first full compile
 * bound exactly the values the shape walk computes, so the cached text and the values always agree; a
 * command the compiler would refuse (an undeclared field, a bad limit, too many values) is never served
 * from the cache, it goes to `compileFind`, which throws.
 */
export function compileFindCached(dialect: SqlDialect, command: FindCommand): CompiledStatement {
  const values: unknown[] = [];
  const key = findShape(dialect, command, values);
  if (key === undefined || values.length > dialect.maxParameters) return compileFind(dialect, command);
  const shapes = shapesOf(dialect, command.entity);
  const sql = shapes.get(key);
  if (sql !== undefined) return { sql, params: values };
  const compiled = compileFind(dialect, command);
  if (sameValues(compiled.params, values)) {
    if (shapes.size >= FIND_SHAPES_PER_ENTITY) shapes.delete(shapes.keys().next().value!);
    shapes.set(key, compiled.sql);
  }
  return compiled;
}
