import type { CountCommand } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { whereClause } from './compile-condition.js';
import { ParameterList } from './parameter-list.js';

/** `SELECT COUNT(*) AS count FROM <table> [WHERE]`; the count is read from the column named `count`. */
export function compileCount(dialect: SqlDialect, command: CountCommand): CompiledStatement {
  const params = new ParameterList(dialect);
  const sql =
    `SELECT COUNT(*) AS ${dialect.quoteIdentifier('count')} FROM ${dialect.quoteIdentifier(command.entity.name)}` +
    whereClause(dialect, command.entity, command.where, params);
  return { sql, params: params.values() };
}
