import type { DeleteCommand } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { whereClause } from './compile-condition.js';
import { ParameterList } from './parameter-list.js';

/** `DELETE FROM <table> [WHERE]`; the driver's affected-row count is the number deleted. */
export function compileDelete(dialect: SqlDialect, command: DeleteCommand): CompiledStatement {
  const params = new ParameterList(dialect);
  const sql =
    `DELETE FROM ${dialect.quoteIdentifier(command.entity.name)}` +
    whereClause(dialect, command.entity, command.where, params);
  return { sql, params: params.values() };
}
