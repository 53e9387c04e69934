import { ValidationError, type FindCommand } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { column } from './column.js';
import type { CompiledStatement } from './compiled-statement.js';
import { whereClause } from './compile-condition.js';
import { lockClause } from './lock-clause.js';
import { ParameterList } from './parameter-list.js';

/**
 * `SELECT <fields> FROM <table> [WHERE] [ORDER BY] [LIMIT n] [lock]`. Columns are the selected fields, or
 * every field, in the entity's field order under their field names. The limit is validated and written inline: it is an
 * integer, and MySQL's prepared statements refuse some parameter types for LIMIT.
 */
export function compileFind(dialect: SqlDialect, command: FindCommand): CompiledStatement {
  const { entity } = command;
  const params = new ParameterList(dialect);
  const columns = (command.select ?? entity.fieldNames)
    .map((name) => column(dialect, entity, name))
    .join(', ');
  let sql = `SELECT ${columns} FROM ${dialect.quoteIdentifier(entity.name)}`;
  sql += whereClause(dialect, entity, command.where, params);
  if (command.orderBy.length > 0) {
    const keys = command.orderBy.map(
      (key) => `${column(dialect, entity, key.field)} ${key.direction === 'desc' ? 'DESC' : 'ASC'}`,
    );
    sql += ` ORDER BY ${keys.join(', ')}`;
  }
  if (command.limit !== undefined) {
    if (!Number.isSafeInteger(command.limit) || command.limit < 0) {
      throw new ValidationError(`invalid limit ${String(command.limit)}`, [
        { field: 'limit', message: 'invalid limit' },
      ]);
    }
    sql += ` LIMIT ${command.limit}`;
  }
  sql += lockClause(dialect, command);
  return { sql, params: params.values() };
}
