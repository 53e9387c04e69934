import { ValidationError, type FindCommand } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { column } from './column.js';
import type { CompiledStatement } from './compiled-statement.js';
import { whereClause } from './compile-condition.js';
import { lockClause } from './lock-clause.js';
import { ParameterList } from './parameter-list.js';

const ROW_NUMBER = 'berth_row_number';

/**
 * The first `limit` rows of each `field` value: the read numbered by `ROW_NUMBER() OVER (PARTITION BY
 * <field> ORDER BY <order>)` in a derived table, and only rows numbered up to `limit` kept. PostgreSQL,
 * PGlite, MariaDB 10.2+ and MySQL 8 all have window functions. The inner read keeps the table unaliased,
 * so relation filters (`EXISTS`) in its `WHERE` name it as they do in a plain read.
 */
function perGroup(
  dialect: SqlDialect,
  entity: FindCommand['entity'],
  group: NonNullable<FindCommand['perGroup']>,
  columns: string,
  from: string,
  order: string,
): string {
  if (!Number.isSafeInteger(group.limit) || group.limit < 1) {
    throw new ValidationError(`invalid per-group limit ${String(group.limit)}`, [
      { field: 'limit', message: 'invalid limit' },
    ]);
  }
  const over = `PARTITION BY ${column(dialect, entity, group.field)}${order ? ` ORDER BY ${order}` : ''}`;
  const numbered = `SELECT ${columns}, ROW_NUMBER() OVER (${over}) AS ${dialect.quoteIdentifier(ROW_NUMBER)}${from}`;
  return `SELECT ${columns} FROM (${numbered}) ${dialect.quoteIdentifier('berth_numbered')} WHERE ${dialect.quoteIdentifier(ROW_NUMBER)} <= ${group.limit}`;
}

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
  const order = command.orderBy
    .map((key) => `${column(dialect, entity, key.field)} ${key.direction === 'desc' ? 'DESC' : 'ASC'}`)
    .join(', ');
  const from =
    ` FROM ${dialect.quoteIdentifier(entity.name)}` + whereClause(dialect, entity, command.where, params);
  let sql = command.perGroup
    ? perGroup(dialect, entity, command.perGroup, columns, from, order)
    : `SELECT ${columns}${from}`;
  if (order) sql += ` ORDER BY ${order}`;
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
