import { BERTH_TABLE_PREFIX, type SchemaModel, type TableModel } from '@berth/core';
import type { ClientSession, Db } from 'mongodb';

/** A document key as the entity's field name (`_id` is the `id` field). */
const fieldName = (key: string) => (key === '_id' ? 'id' : key);

/**
 * Reads the database's collections (`listCollections`: names, JSON-schema validators with their level and
 * action) and their indexes
 * (`listIndexes`, the `_id_` index left out). Collections have no columns: `columns` is undefined.
 * System collections and berth's own are left out.
 */
export async function introspectMongo(db: Db, session: ClientSession | undefined): Promise<SchemaModel> {
  const options = session ? { session } : {};
  const collections = await db.listCollections({}, options).toArray();
  const tables: TableModel[] = [];
  for (const info of collections) {
    const name = info.name;
    if (
      (info as { type?: string }).type === 'view' ||
      name.startsWith('system.') ||
      name.startsWith(BERTH_TABLE_PREFIX)
    )
      continue;
    const indexes = await db.collection(name).listIndexes(options).toArray();
    const { validator, validationLevel, validationAction } =
      (info as { options?: { validator?: unknown; validationLevel?: string; validationAction?: string } })
        .options ?? {};
    tables.push({
      name,
      columns: undefined,
      indexes: indexes
        .filter((index) => index.name !== '_id_')
        .map((index) => ({
          name: String(index.name),
          columns: Object.keys(index.key as Record<string, unknown>).map(fieldName),
          unique: index.unique === true,
        }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
      foreignKeys: [],
      ...(validator === undefined ? {} : { validator }),
      ...(validationLevel === undefined ? {} : { validationLevel }),
      ...(validationAction === undefined ? {} : { validationAction }),
    });
  }
  tables.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { tables };
}
