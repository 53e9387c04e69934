import { THROUGH_KEY, ValidationError, type FindCommand, type ThroughRead } from '@berth/core';
import type { ParameterList as Params } from './parameter-list.js';
import { compileCondition } from './compile-condition.js';
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
  checkGroupLimit(group.limit);
  const over = `PARTITION BY ${column(dialect, entity, group.field)}${order ? ` ORDER BY ${order}` : ''}`;
  const numbered = `SELECT ${columns}, ROW_NUMBER() OVER (${over}) AS ${dialect.quoteIdentifier(ROW_NUMBER)}${from}`;
  return `SELECT ${columns} FROM (${numbered}) ${dialect.quoteIdentifier('berth_numbered')} WHERE ${dialect.quoteIdentifier(ROW_NUMBER)} <= ${group.limit}`;
}

function checkGroupLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new ValidationError(`invalid per-group limit ${String(limit)}`, [
      { field: 'limit', message: 'invalid limit' },
    ]);
  }
}

/**
 * A many-to-many read (`FindCommand.through`): the target table joined to its links, a derived table of
 * the join rows whose parent key is one of the keys, renamed `berth_parent` / `berth_target` so the
 * target's columns stay unqualified and unambiguous (and its table unaliased, for relation filters);
 * numbered per parent in the read's order and cut at the limit, as `perGroup` does. The links' keys are
 * bound before the filter's values: MySQL's positional parameters follow the text.
 */
function throughRead(
  dialect: SqlDialect,
  command: FindCommand,
  through: ThroughRead,
  columns: string,
  order: string,
  params: Params,
): string {
  checkGroupLimit(through.limit);
  const { entity } = command;
  const q = (name: string) => dialect.quoteIdentifier(name);
  const links = q('berth_links');
  const parent = `${links}.${q(THROUGH_KEY)}`;
  const match = compileCondition(
    dialect,
    through.entity,
    { type: 'in', field: through.fromKey, values: through.keys, negated: false },
    params,
  );
  const linkRead = `SELECT ${column(dialect, through.entity, through.fromKey)} AS ${q(THROUGH_KEY)}, ${column(dialect, through.entity, through.toKey)} AS ${q('berth_target')} FROM ${q(through.entity.name)} WHERE ${match}`;
  const from = ` FROM ${q(entity.name)} JOIN (${linkRead}) ${links} ON ${links}.${q('berth_target')} = ${q(entity.name)}.${column(dialect, entity, 'id')}${whereClause(dialect, entity, command.where, params)}`;
  const over = `PARTITION BY ${parent}${order ? ` ORDER BY ${order}` : ''}`;
  const numbered = `SELECT ${columns}, ${parent}, ROW_NUMBER() OVER (${over}) AS ${q(ROW_NUMBER)}${from}`;
  return `SELECT ${columns}, ${q(THROUGH_KEY)} FROM (${numbered}) ${q('berth_numbered')} WHERE ${q(ROW_NUMBER)} <= ${through.limit}`;
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
  if (command.through) {
    const sql = throughRead(dialect, command, command.through, columns, order, params);
    return { sql: order ? `${sql} ORDER BY ${order}` : sql, params: params.values() };
  }
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
