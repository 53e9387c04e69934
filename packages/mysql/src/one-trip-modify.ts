import type { Condition, EntityMeta, ModifyCommand, StoredRow } from '@berth/core';
import {
  type CompiledStatement,
  type SqlDialect,
  compileFindCached,
  compileModifyCached,
  decodeRow,
} from '@berth/sql';
import { inlineValues } from './inline-values.js';

/**
 * MySQL and MariaDB have no `UPDATE ... RETURNING` (MariaDB has it for INSERT and DELETE only), so one
 * row changed and returned is an UPDATE and a read of the row, in one transaction so that the row read is
 * the row written. Sent one statement at a time that is four round trips (BEGIN, UPDATE, SELECT, COMMIT);
 * here the four go in one packet, as text with the values inlined (see `inline-values.ts`): a prepared
 * statement carries one statement. The server runs them in order and stops at the first that fails,
 * leaving the transaction open: the caller rolls it back (see `MysqlConnection.modifyRow`).
 */

/** The id a filter fixes (`id = ?`, alone or within an AND), or undefined. */
function idOf(where: Condition): unknown {
  if (where.type === 'compare' && where.field === 'id' && where.op === 'eq') return where.value;
  if (where.type === 'and') {
    for (const c of where.conditions) {
      const id = idOf(c);
      if (id !== undefined) return id;
    }
  }
  return undefined;
}

/** A packet to send, and how query events show it: with placeholders, its values apart. */
export interface OneTripPacket {
  /** The statements, values inlined. */
  readonly sql: string;
  /** The same statements with `?` for each value, and the values in order. */
  readonly shown: CompiledStatement;
}

/**
 * The packet `START TRANSACTION; UPDATE …; SELECT … WHERE id = …; COMMIT` for `command`, or undefined
 * when it cannot be one: its filter does not fix the id, or a value cannot be written as text exactly.
 */
export function oneTripModify(dialect: SqlDialect, command: ModifyCommand): OneTripPacket | undefined {
  const id = idOf(command.where);
  if (id === undefined) return undefined;
  const { entity } = command;
  const update = compileModifyCached(dialect, command, { returning: false, bounds: true });
  const read = compileFindCached(dialect, {
    entity,
    where: { type: 'compare', field: 'id', op: 'eq', value: id as never },
    orderBy: [{ field: 'id', direction: 'asc' }],
    limit: 1,
  });
  const updateText = inlineValues(update.sql, update.params);
  if (updateText === undefined) return undefined;
  const readText = inlineValues(read.sql, read.params);
  if (readText === undefined) return undefined;
  const begin = dialect.beginTransaction;
  return {
    sql: `${begin};\n${updateText};\n${readText};\nCOMMIT`,
    shown: {
      sql: `${begin};\n${update.sql};\n${read.sql};\nCOMMIT`,
      params: [...update.params, ...read.params],
    },
  };
}

/** The OK packet of a statement that returns no rows, as mysql2 hands it over. */
interface StatementHeader {
  affectedRows?: number;
}

/**
 * How many rows the packet wrote and read back (0 or 1), as its query event reports them: the results are
 * one per statement, so their count (4) is not the rows'. Never throws: a result of an unexpected shape
 * counts nothing (`modifiedRow` is what refuses it).
 */
export function modifiedRowCount(results: readonly unknown[]): number {
  const update = results[1] as StatementHeader | undefined;
  const rows = results[2];
  if (results.length !== 4 || Array.isArray(update) || !Array.isArray(rows)) return 0;
  return (update?.affectedRows ?? 0) > 0 && rows.length > 0 ? 1 : 0;
}

/**
 * The row the packet wrote, from its four results (mysql2 returns one per statement); undefined when the
 * UPDATE matched nothing (wrong version, out of bounds, nothing to change, no such row). With the
 * FOUND_ROWS client flag `affectedRows` counts the rows matched, and `changedOnly` is in the WHERE, so a
 * match is a write.
 */
export function modifiedRow(
  dialect: SqlDialect,
  entity: EntityMeta,
  results: readonly unknown[],
): StoredRow | undefined {
  const update = results[1] as StatementHeader | undefined;
  const rows = results[2];
  if (results.length !== 4 || Array.isArray(update) || !Array.isArray(rows))
    throw new TypeError(`the one-trip UPDATE of ${entity.name} had ${results.length} unexpected results`);
  if ((update?.affectedRows ?? 0) === 0) return undefined;
  const row = rows[0] as Record<string, unknown> | undefined;
  return row === undefined ? undefined : decodeRow(dialect, entity, row);
}
