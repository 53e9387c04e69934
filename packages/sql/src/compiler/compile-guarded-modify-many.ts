import type { ModifyCommand } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { CompiledStatement } from './compiled-statement.js';
import { boundsConditions, modifyAssignments, modifyConditions } from './compile-modify.js';
import { ParameterList } from './parameter-list.js';

/**
 * One PostgreSQL statement that changes every row matching the filter, or none when an operation would
 * take any of them out of bounds. A data-modifying CTE locks the matching rows (`FOR UPDATE`, which reads
 * their latest committed versions), evaluates the bounds on each, and updates only if all are inside.
 * The update selects its rows by the same filter, not by a join on the locked ids (a join probed the
 * primary key once per row: slower than the filter's own scan): both parts share the statement's snapshot,
 * and a row changed by another transaction before the lock is rechecked on its latest version by both
 * (`FOR UPDATE` and the UPDATE's own recheck), so the update changes exactly the locked rows. The guard is
 * an uncorrelated `NOT EXISTS`, evaluated once before the first row is updated: it reads the CTE to its
 * end (locking every row) unless a row is outside. Returns one row: `modified` and `outside` (rows out of
 * bounds). Needs `WITH ... UPDATE` (PostgreSQL, PGlite).
 */
export function compileGuardedModifyMany(dialect: SqlDialect, command: ModifyCommand): CompiledStatement {
  const { entity } = command;
  const params = new ParameterList(dialect);
  const table = dialect.quoteIdentifier(entity.name);
  const inside = boundsConditions(dialect, entity, command.operations, params).join(' AND ');
  const filter = modifyConditions(dialect, { ...command, changedOnly: false }, params, { bounds: false });
  const target =
    `SELECT (${inside}) AS "inside" FROM ${table}` +
    (filter.length > 0 ? ` WHERE ${filter.join(' AND ')}` : '') +
    ' FOR UPDATE';
  const assignments = modifyAssignments(dialect, command, params);
  const again = modifyConditions(dialect, { ...command, changedOnly: false }, params, { bounds: false });
  const update =
    `UPDATE ${table} SET ${assignments} WHERE ` +
    [...again, 'NOT EXISTS (SELECT 1 FROM "berth_target" WHERE NOT "inside")'].join(' AND ') +
    ' RETURNING 1';
  const sql =
    `WITH "berth_target" AS (${target}), "berth_update" AS (${update}) ` +
    'SELECT (SELECT count(*) FROM "berth_update") AS "modified", ' +
    '(SELECT count(*) FROM "berth_target" WHERE NOT "inside") AS "outside"';
  return { sql, params: params.values() };
}

/**
 * The locking read MySQL/MariaDB runs before a bounded `modifyMany`, in a transaction: it locks every
 * matching row (`FOR UPDATE`) and counts those an operation would take out of bounds. Returns one row
 * with `outside`.
 */
export function compileBoundsCheck(dialect: SqlDialect, command: ModifyCommand): CompiledStatement {
  const { entity } = command;
  const params = new ParameterList(dialect);
  const inside = boundsConditions(dialect, entity, command.operations, params).join(' AND ');
  const filter = modifyConditions(dialect, { ...command, changedOnly: false }, params, { bounds: false });
  const sql =
    `SELECT COALESCE(SUM(CASE WHEN ${inside} THEN 0 ELSE 1 END), 0) AS ${dialect.quoteIdentifier('outside')} ` +
    `FROM ${dialect.quoteIdentifier(entity.name)}` +
    (filter.length > 0 ? ` WHERE ${filter.join(' AND ')}` : '') +
    ` ${dialect.forUpdate}`;
  return { sql, params: params.values() };
}
