import type { Capabilities } from '../driver/capabilities.js';
import type { FindCommand, StoredRow } from '../driver/commands.js';
import type { EntityMeta } from '../entity/define-entity.js';
import { TooManyRowsError } from '../errors/too-many-rows-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { and } from '../query/condition.js';
import { cursorCondition, encodeCursor } from '../query/cursor.js';
import { normalizeWhere } from '../query/normalize-where.js';
import { parseOrderBy } from '../query/order-by.js';
import { parseLock } from '../query/row-lock.js';
import { parseSelect } from '../query/select.js';
import { runRead, type Scope } from '../transaction/scope.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import { MAX_PAGE_SIZE, MAX_UNBOUNDED_ROWS } from './find-options.js';
import type { Page } from './page.js';

/** What `readPage` reads; the untyped form of `FindOptions`. */
export interface PageRequest {
  readonly where?: unknown;
  readonly orderBy?: unknown;
  readonly limit?: unknown;
  readonly cursor?: string | null;
  readonly select?: unknown;
  readonly lock?: unknown;
}

/** Checks a page size: an integer in 1..`MAX_PAGE_SIZE`, `'all'` when `allowAll`, or absent. */
export function checkLimit(limit: unknown, name = 'limit', allowAll = true): number | 'all' | undefined {
  if (limit === undefined || (allowAll && limit === 'all')) return limit;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`${name} must be an integer from 1 to ${MAX_PAGE_SIZE}`, [
      { field: name, message: 'out of range' },
    ]);
  }
  return limit;
}

function pick(row: StoredRow, fields: readonly string[]): StoredRow {
  const result: StoredRow = {};
  for (const name of fields) result[name] = row[name];
  return result;
}

/**
 * One keyset page (the body of `Repository.find`): validates every option before anything is sent, reads
 * `limit + 1` rows to learn whether a next page exists, and makes the cursor from the last row. With a
 * projection, the sort keys the cursor needs are read too and then left out of the rows. Without a limit
 * it reads at most `MAX_UNBOUNDED_ROWS` and raises `TooManyRowsError` beyond; `'all'` reads everything.
 * `then` runs on the same connection right after the read, with the rows the page returns.
 */
export async function readPage(
  entity: EntityMeta,
  scope: Scope,
  capabilities: Capabilities,
  options: PageRequest,
  then?: (connection: DriverConnection, rows: StoredRow[]) => Promise<void>,
): Promise<Page<StoredRow>> {
  const orderBy = parseOrderBy(entity, options.orderBy);
  const limit = checkLimit(options.limit);
  const select = parseSelect(entity, options.select);
  const lock = parseLock(options.lock, capabilities, scope.inTransaction);
  let where = normalizeWhere(entity, options.where);
  if (options.cursor !== undefined && options.cursor !== null) {
    where = and(where, cursorCondition(entity, orderBy, options.cursor));
  }
  const paged = typeof limit === 'number';
  // A page's cursor is made from its last row's sort keys: read them even when not selected.
  const read =
    select && paged
      ? entity.fieldNames.filter((f) => select.includes(f) || orderBy.some((k) => k.field === f))
      : select;
  const command: FindCommand = {
    entity,
    where,
    orderBy,
    limit: paged ? limit + 1 : limit === 'all' ? undefined : MAX_UNBOUNDED_ROWS + 1,
    ...(read ? { select: read } : {}),
    ...(lock ? { lock, forUpdate: lock.mode === 'forUpdate' } : {}),
  };
  // `then` (an include's loads) runs on the same connection, on the rows the page keeps: one acquire for
  // the page and its relations, not one for each.
  const findRows = !then ? (c: DriverConnection) => c.find(command) : findThen(command, limit, then);
  const rows = await (lock ? scope.run(findRows) : runRead(scope, findRows));
  if (!paged) {
    if (limit === undefined && rows.length > MAX_UNBOUNDED_ROWS)
      throw new TooManyRowsError(entity.name, MAX_UNBOUNDED_ROWS);
    return { items: shape(rows, select, read), nextCursor: null };
  }
  if (rows.length <= limit) return { items: shape(rows, select, read), nextCursor: null };
  rows.length = limit;
  return { items: shape(rows, select, read), nextCursor: encodeCursor(orderBy, rows[limit - 1]!) };
}

/**
 * The page's read followed by `then` on the same connection, on the rows the page keeps (none past
 * `MAX_UNBOUNDED_ROWS` without a limit: the page is refused). A function of its own: under a bundler that
 * names every function (`keepNames`), a closure named in `readPage` would be renamed on every read.
 */
function findThen(
  command: FindCommand,
  limit: number | 'all' | undefined,
  then: (connection: DriverConnection, rows: StoredRow[]) => Promise<void>,
): (connection: DriverConnection) => Promise<StoredRow[]> {
  return async (c) => {
    const found = await c.find(command);
    const kept = typeof limit === 'number' && found.length > limit ? found.slice(0, limit) : found;
    const refused = limit === undefined && found.length > MAX_UNBOUNDED_ROWS;
    if (kept.length > 0 && !refused) await then(c, kept);
    return found;
  };
}

/** The rows as the caller selected them: the sort keys read only for the cursor left out. */
function shape(
  items: StoredRow[],
  select: readonly string[] | undefined,
  read: readonly string[] | undefined,
): StoredRow[] {
  return select && read && read.length !== select.length ? items.map((row) => pick(row, select)) : items;
}
