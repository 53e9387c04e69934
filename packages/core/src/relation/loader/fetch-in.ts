import { type StoredRow, THROUGH_KEY } from '../../driver/commands.js';
import { UnsupportedError } from '../../errors/unsupported-error.js';
import type { DriverConnection } from '../../driver/driver-connection.js';
import type { EntityMeta } from '../../entity/define-entity.js';
import { type Condition, MATCH_ALL, type Scalar, and } from '../../query/condition.js';
import type { SortKey } from '../../query/sort-key.js';

/**
 * Keys per select-in statement. Far under every backend's bound-parameter limit (65 535 on PostgreSQL and
 * MySQL) even with a caller's filter beside it (at most 10 000 values, see `FILTER_LIMITS`), and a small
 * MongoDB command. More keys than this are read in several statements.
 */
export const RELATION_CHUNK_SIZE = 5_000;

/**
 * Reads every row of `entity` whose `field` is one of `keys` and that matches `where`, in `orderBy` order
 * within each chunk of keys: one statement per `RELATION_CHUNK_SIZE` keys, none for no keys. With
 * `limitPerKey`, the backend reads at most that many rows per key (`FindCommand.perGroup`).
 */
export function fetchIn(
  connection: DriverConnection,
  entity: EntityMeta,
  field: string,
  keys: readonly Scalar[],
  where: Condition,
  orderBy: readonly SortKey[],
  limitPerKey?: number,
): Promise<StoredRow[]> {
  // Not an async function: the common case, one chunk, hands back the connection's own promise and array
  // (no copy of the keys or the rows, no promise of its own around it).
  if (keys.length > RELATION_CHUNK_SIZE)
    return fetchChunks(connection, entity, field, keys, where, orderBy, limitPerKey);
  if (keys.length === 0) return Promise.resolve([]);
  try {
    return readChunk(connection, entity, field, keys, where, orderBy, limitPerKey);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `fetchIn` for more keys than one statement takes: one statement per chunk, in turn. */
async function fetchChunks(
  connection: DriverConnection,
  entity: EntityMeta,
  field: string,
  keys: readonly Scalar[],
  where: Condition,
  orderBy: readonly SortKey[],
  limitPerKey: number | undefined,
): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for (let i = 0; i < keys.length; i += RELATION_CHUNK_SIZE) {
    const chunk = keys.slice(i, i + RELATION_CHUNK_SIZE);
    const found = await readChunk(connection, entity, field, chunk, where, orderBy, limitPerKey);
    for (const row of found) rows.push(row);
  }
  return rows;
}

/** One select-in statement for `chunk` (at most `RELATION_CHUNK_SIZE` keys, at least one). */
function readChunk(
  connection: DriverConnection,
  entity: EntityMeta,
  field: string,
  chunk: readonly Scalar[],
  where: Condition,
  orderBy: readonly SortKey[],
  limitPerKey: number | undefined,
): Promise<StoredRow[]> {
  const match: Condition =
    chunk.length === 1
      ? { type: 'compare', field, op: 'eq', value: chunk[0]! }
      : { type: 'in', field, values: chunk, negated: false };
  // No filter (the usual include): the match is the whole condition, without `and`'s arrays.
  const condition = where === MATCH_ALL ? match : and(match, where);
  return connection.find(
    limitPerKey === undefined
      ? { entity, where: condition, orderBy }
      : { entity, where: condition, orderBy, perGroup: { field, limit: limitPerKey } },
  );
}

/**
 * The target rows of a many-to-many relation for `keys`, at most `limit` per parent key, read by the
 * backend through the join entity (`FindCommand.through`): one statement per `RELATION_CHUNK_SIZE` keys.
 * Resolves to each parent key's rows, in `orderBy` order, the parent key removed from the rows.
 */
export async function fetchThrough(
  connection: DriverConnection,
  entity: EntityMeta,
  join: { readonly entity: EntityMeta; readonly fromKey: string; readonly toKey: string },
  keys: readonly Scalar[],
  where: Condition,
  orderBy: readonly SortKey[],
  limit: number,
): Promise<Array<{ parent: unknown; row: StoredRow }>> {
  const found: Array<{ parent: unknown; row: StoredRow }> = [];
  for (let i = 0; i < keys.length; i += RELATION_CHUNK_SIZE) {
    const chunk = keys.slice(i, i + RELATION_CHUNK_SIZE);
    const rows = await connection.find({ entity, where, orderBy, through: { ...join, keys: chunk, limit } });
    for (const row of rows) {
      if (!Object.hasOwn(row, THROUGH_KEY))
        throw new UnsupportedError('a many-to-many include with a per-parent limit (FindCommand.through)');
      const parent = row[THROUGH_KEY];
      delete row[THROUGH_KEY];
      found.push({ parent, row });
    }
  }
  return found;
}
