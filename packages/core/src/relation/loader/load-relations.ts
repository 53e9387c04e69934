import type { StoredRow } from '../../driver/commands.js';
import type { DriverConnection } from '../../driver/driver-connection.js';
import type { EntityMeta } from '../../entity/define-entity.js';
import { type Condition, MATCH_ALL, type Scalar } from '../../query/condition.js';
import type { SortKey } from '../../query/sort-key.js';
import { fetchIn, fetchThrough } from './fetch-in.js';
import type { IncludeNode } from './include-plan.js';

/**
 * Gives back the one object a row should be, for a unit of work's identity map (the repository passes
 * rows through unchanged).
 */
export type TrackRow = (entity: EntityMeta, row: StoredRow) => StoredRow;

const ID_ORDER = [{ field: 'id', direction: 'asc' }] as const;
const NO_ORDER = [] as const;

/**
 * The rows every read of a repository passes through without a unit of work: `track` returns each row
 * unchanged, so `tracked` skips the copy.
 */
export const UNTRACKED: TrackRow = (_entity, row) => row;

/** `rows` as `track` gives them back: the same array when there is nothing to track. */
function tracked(rows: StoredRow[], entity: EntityMeta, track: TrackRow): StoredRow[] {
  if (track === UNTRACKED) return rows;
  for (let i = 0; i < rows.length; i++) rows[i] = track(entity, rows[i]!);
  return rows;
}

function distinctKeys(rows: readonly StoredRow[], field: string): Scalar[] {
  // One parent (a findById, a one-row page): no set to build.
  if (rows.length === 1) {
    const value = rows[0]![field];
    return value === null || value === undefined ? [] : [value as Scalar];
  }
  const keys = new Set<Scalar>();
  for (const row of rows) {
    const value = row[field];
    if (value !== null && value !== undefined) keys.add(value as Scalar);
  }
  return [...keys];
}

/** Every row's `field` is `key` (a backend comparing loosely, such as a case-insensitive collation, may differ). */
function allKeyed(rows: readonly StoredRow[], field: string, key: unknown): boolean {
  for (const row of rows) if (row[field] !== key) return false;
  return true;
}

function groupBy(rows: readonly StoredRow[], field: string): Map<unknown, StoredRow[]> {
  const groups = new Map<unknown, StoredRow[]>();
  for (const row of rows) {
    const key = row[field];
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/**
 * Sets one relation on every parent; resolves to the related rows set, each row once (the next level's
 * parents): distinct keys read distinct rows, and each path pushes a row at most once.
 */
async function loadNode(
  connection: DriverConnection,
  parents: readonly StoredRow[],
  node: IncludeNode,
  track: TrackRow,
): Promise<StoredRow[]> {
  const keys = distinctKeys(parents, node.parentKey);
  if (node.join && node.limit !== undefined) {
    // The backend joins and keeps the first `limit` targets of each parent (a window function over the
    // join on SQL, a `$lookup` then `$group`/`$slice` on MongoDB): one statement, and only the rows kept
    // cross the network. A target linked to several parents comes back once per parent: one object here.
    const found = await fetchThrough(
      connection,
      node.target,
      node.join,
      keys,
      node.where,
      node.orderBy,
      node.limit,
    );
    const byId = new Map<unknown, StoredRow>();
    const byParent = new Map<unknown, StoredRow[]>();
    for (const { parent, row } of found) {
      let one = byId.get(row.id);
      if (!one) {
        one = track(node.target, row);
        byId.set(row.id, one);
      }
      const group = byParent.get(parent);
      if (group) group.push(one);
      else byParent.set(parent, [one]);
    }
    for (const parent of parents) parent[node.name] = (byParent.get(parent.id) ?? []).slice(0, node.limit);
    return [...byId.values()];
  }

  if (node.join) {
    const read = async (
      entity: EntityMeta,
      field: string,
      values: Scalar[],
      where: Condition,
      orderBy: readonly SortKey[],
    ) => tracked(await fetchIn(connection, entity, field, values, where, orderBy), entity, track);
    const { entity: through, fromKey, toKey } = node.join;
    const links = await read(through, fromKey, keys, MATCH_ALL, ID_ORDER);
    const targets = await read(node.target, 'id', distinctKeys(links, toKey), node.where, node.orderBy);
    // The targets' order as read decides each parent's order (exact within one chunk of keys).
    const rank = new Map(targets.map((row, index) => [row.id, index] as const));
    const byId = new Map(targets.map((row) => [row.id, row] as const));
    const linksByParent = groupBy(links, fromKey);
    const loaded = new Set<StoredRow>();
    for (const parent of parents) {
      const ids = new Set((linksByParent.get(parent.id) ?? []).map((link) => link[toKey]));
      const related = [...ids].filter((id) => byId.has(id)).sort((a, b) => rank.get(a)! - rank.get(b)!);
      const rows = related.map((id) => byId.get(id)!);
      for (const row of rows) loaded.add(row);
      parent[node.name] = rows;
    }
    return [...loaded];
  }

  const belongsTo = !node.many && node.targetKey === 'id';
  // hasMany with a limit: the backend keeps the first `limit` rows of each parent (a window function on
  // SQL, `$group`/`$slice` on MongoDB); the cut below is then a no-op, kept for adapters that ignore it.
  // belongsTo reads in no order: each parent takes its one row by id, so the order of the rows read decides
  // nothing (the next level's reads carry their own order), and the backend is spared the sort.
  const found = tracked(
    await fetchIn(
      connection,
      node.target,
      node.targetKey,
      keys,
      node.where,
      belongsTo ? NO_ORDER : node.orderBy,
      node.many ? node.limit : undefined,
    ),
    node.target,
    track,
  );
  if (belongsTo) {
    // belongsTo: a reference to a row that is not there (possible only where nothing enforces the key:
    // MongoDB) reads as null.
    const byId = new Map<unknown, StoredRow>();
    for (const row of found) byId.set(row.id, row);
    for (const parent of parents) {
      const key = parent[node.parentKey];
      parent[node.name] = key === null || key === undefined ? null : (byId.get(key) ?? null);
    }
    return found;
  }
  // hasMany / hasOne: the rows come back in the relation's order; each parent takes its own, up to `limit`.
  // A row belongs to one key's group: pushing each key's rows once keeps `loaded` free of repeats.
  if (
    keys.length === 1 &&
    node.many &&
    node.limit === undefined &&
    allKeyed(found, node.targetKey, keys[0])
  ) {
    // One key (one parent, or parents sharing it) and no cut: every row read is that key's, in order, so
    // the array read is each parent's value as it is (a shared array, as the grouping below gives too).
    const key = keys[0];
    for (const parent of parents) parent[node.name] = parent[node.parentKey] === key ? found : [];
    return found;
  }
  const groups = groupBy(found, node.targetKey);
  const loaded: StoredRow[] = [];
  const seen = new Set<unknown>();
  for (const parent of parents) {
    const key = parent[node.parentKey];
    let rows = groups.get(key) ?? [];
    if (!node.many) rows = rows.slice(0, 1);
    else if (node.limit !== undefined) rows = rows.slice(0, node.limit);
    if (!seen.has(key)) {
      seen.add(key);
      for (const row of rows) loaded.push(row);
    }
    parent[node.name] = node.many ? rows : (rows[0] ?? null);
  }
  return loaded;
}

/**
 * Loads the planned relations onto `rows`, level by level: ONE statement per relation per level (two for
 * a many-to-many without a limit: the join rows, then the targets; one with a limit, joined in the backend), whatever the number of rows, each a select-in on the
 * parents' keys chunked by `RELATION_CHUNK_SIZE`. A relation with no keys to look up sends nothing.
 */
export async function loadRelations(
  connection: DriverConnection,
  rows: readonly StoredRow[],
  nodes: readonly IncludeNode[],
  track: TrackRow,
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  for (const node of nodes) {
    const related = await loadNode(connection, rows, node, track);
    if (node.children.length > 0) await loadRelations(connection, related, node.children, track);
  }
}
