import type { ColumnModel, ForeignKeyModel, IndexModel, SchemaModel, TableModel } from '@berth/core';
import { BERTH_TABLE_PREFIX } from '@berth/core';

/** Groups introspected rows by table into a `SchemaModel`, leaving out berth's own tables. */
export function assembleSchema(
  tables: readonly string[],
  columns: readonly [string, ColumnModel][],
  indexes: readonly [string, IndexModel][],
  foreignKeys: readonly [string, ForeignKeyModel][],
): SchemaModel {
  const of = <T>(rows: readonly [string, T][], table: string) =>
    rows.filter(([t]) => t === table).map(([, value]) => value);
  const model: TableModel[] = [...new Set(tables)]
    .filter((t) => !t.startsWith(BERTH_TABLE_PREFIX))
    .sort()
    .map((name) => ({
      name,
      columns: of(columns, name),
      indexes: of(indexes, name).sort((a, b) => (a.name < b.name ? -1 : 1)),
      foreignKeys: of(foreignKeys, name),
    }));
  return { tables: model };
}
