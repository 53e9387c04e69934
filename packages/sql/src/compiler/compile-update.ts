import { ValidationError, type UpdateCommand } from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { column, fieldOf } from './column.js';
import type { CompiledStatement } from './compiled-statement.js';
import { whereClause } from './compile-condition.js';
import { ParameterList } from './parameter-list.js';

/**
 * `UPDATE <table> SET a = ?, ... [WHERE]`. `set` must name at least one declared field (there is no SQL for
 * an empty SET; `SqlConnection` counts the matching rows instead). The driver must report rows *matched*,
 * not rows changed, for the core's version checks (see `SqlConnection.execute`).
 */
export function compileUpdate(dialect: SqlDialect, command: UpdateCommand): CompiledStatement {
  const { entity } = command;
  const names = Object.keys(command.set);
  if (names.length === 0)
    throw new ValidationError(`an update of ${entity.name} must set at least one field`);
  const params = new ParameterList(dialect);
  const assignments = names.map((name) => {
    const value = encodeValue(dialect, fieldOf(entity, name), command.set[name]);
    return `${column(dialect, entity, name)} = ${params.add(value)}`;
  });
  const sql =
    `UPDATE ${dialect.quoteIdentifier(entity.name)} SET ${assignments.join(', ')}` +
    whereClause(dialect, entity, command.where, params);
  return { sql, params: params.values() };
}
