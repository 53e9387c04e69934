import type { EntityMeta, StoredRow } from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import { column, fieldOf } from './column.js';
import type { CompiledStatement } from './compiled-statement.js';
import { ParameterList } from './parameter-list.js';

/**
 * One `UPDATE` writing different values to several rows by id:
 * `UPDATE t SET a = CASE id WHEN ? THEN ? ... ELSE a END, ... WHERE id IN (...)`. Each change names its
 * row's `id` and the fields to write; a field a row does not set keeps its value.
 */
export function compileUpdateRows(
  dialect: SqlDialect,
  entity: EntityMeta,
  changes: readonly { readonly id: string; readonly set: StoredRow }[],
): CompiledStatement {
  const params = new ParameterList(dialect);
  const id = column(dialect, entity, 'id');
  const fields = [...new Set(changes.flatMap((change) => Object.keys(change.set)))];
  const assignments = fields.map((name) => {
    const meta = fieldOf(entity, name);
    const target = column(dialect, entity, name);
    const cases = changes
      .filter((change) => Object.hasOwn(change.set, name))
      .map(
        (change) =>
          `WHEN ${params.add(change.id)} THEN ${params.add(encodeValue(dialect, meta, change.set[name]))}`,
      );
    return `${target} = CASE ${id} ${cases.join(' ')} ELSE ${target} END`;
  });
  const ids = changes.map((change) => params.add(change.id));
  const sql = `UPDATE ${dialect.quoteIdentifier(entity.name)} SET ${assignments.join(', ')} WHERE ${id} IN (${ids.join(', ')})`;
  return { sql, params: params.values() };
}
