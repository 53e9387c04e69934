import type { EntityMeta, ModifyCommand } from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { compileModify } from './compile-modify.js';
import { conditionShape, fieldAt } from './condition-shape.js';
import { sameValues, shapeCache } from './shape-cache.js';

/** Per dialect and entity: modify statement text by shape. */
const texts = shapeCache();

/**
 * The shape of a modify (which fields are set and stamped, the operations and their bounds, the bump, the
 * filter's shape and the options), with the values `compileModify` binds pushed onto `values` in its
 * order: assignments, operations, filter, bounds, the "changed" test. Undefined when not cached.
 */
function modifyShape(
  dialect: SqlDialect,
  command: ModifyCommand,
  options: { returning: boolean; bounds: boolean },
  values: unknown[],
): string | undefined {
  const { entity } = command;
  let key = `${options.returning ? 'R' : ''}${options.bounds ? 'B' : ''}${command.changedOnly ? 'C' : ''}|`;
  // Assignments: the set and stamp fields merged as the compiler merges them (`{ ...set, ...stamp }`: a
  // stamp wins, in place, and the other stamps follow), walked without building the merged object.
  const { set, stamp } = command;
  for (const name in set) {
    if (!Object.hasOwn(set, name)) continue; // own keys only, as the spread takes them
    const at = fieldAt(entity, name);
    if (at < 0) return undefined;
    const value = Object.hasOwn(stamp, name) ? stamp[name] : set[name];
    values.push(encodeValue(dialect, entity.fields[name]!, value));
    key += `${at},`;
  }
  for (const name in stamp) {
    if (!Object.hasOwn(stamp, name) || Object.hasOwn(set, name)) continue;
    const at = fieldAt(entity, name);
    if (at < 0) return undefined;
    values.push(encodeValue(dialect, entity.fields[name]!, stamp[name]));
    key += `${at},`;
  }
  key += '|';
  for (const op of command.operations) {
    const at = fieldAt(entity, op.field);
    if (at < 0) return undefined;
    values.push(op.by);
    key += `${at}${op.op}${op.min !== undefined ? '<' : ''}${op.max !== undefined ? '>' : ''},`;
  }
  if (command.bump !== undefined) {
    const at = fieldAt(entity, command.bump);
    if (at < 0) return undefined;
    key += `|+${at}`;
  }
  const where = conditionShape(dialect, entity, command.where, values);
  if (where === undefined) return undefined;
  key += `|${where}`;
  if (options.bounds) {
    for (const op of command.operations) {
      if (op.min !== undefined) values.push(op.by, op.min);
      if (op.max !== undefined) values.push(op.by, op.max);
    }
  }
  if (command.changedOnly) {
    for (const name in command.set) {
      const at = fieldAt(entity, name);
      if (at < 0) return undefined;
      values.push(encodeValue(dialect, entity.fields[name]!, command.set[name]));
      key += `~${at}`;
    }
    for (const op of command.operations) values.push(op.by);
  }
  return key;
}

/**
 * `compileModify` with its text cached per dialect, entity and shape: an update by id repeats one shape
 * with new values. As with finds (`compileFindCached`), a shape is cached only once a full compile bound
 * exactly the values the shape walk computes, and whatever the compiler would refuse goes to it.
 */
export function compileModifyCached(
  dialect: SqlDialect,
  command: ModifyCommand,
  options: { returning: boolean; bounds: boolean },
): CompiledStatement {
  const values: unknown[] = [];
  const key = modifyShape(dialect, command, options, values);
  if (key === undefined || values.length > dialect.maxParameters)
    return compileModify(dialect, command, options);
  const shapes = texts(dialect, command.entity as EntityMeta);
  const sql = shapes.get(key);
  if (sql !== undefined) return { sql, params: values };
  const compiled = compileModify(dialect, command, options);
  if (sameValues(compiled.params, values)) shapes.set(key, compiled.sql);
  return compiled;
}
