import type { CommitOutcome, CommitOutcomeResolver, DriverConnection } from '@berth/core';
import type { SqlResult } from '@berth/sql';

/** Runs one statement on the fresh connection a resolution was given. */
export type ResolutionQuery = (sql: string, params: unknown[]) => Promise<SqlResult>;

/**
 * Read with BEGIN, in the same round trip: the transaction's id. `txid_current()` (PostgreSQL 10 and later;
 * `pg_current_xact_id()` is its PostgreSQL 13 name) assigns an xid at once, even to a transaction that
 * will only read. A transaction that assigns one writes a commit record at COMMIT, which a read-only
 * transaction otherwise skips; berth's units of work open a transaction only for writes, so that cost
 * lands only on `db.transaction()` callbacks that never write. `txid_current_if_assigned()` would spare it,
 * but it is NULL until the first write, and asking after the last write would cost every commit a round
 * trip. `pg_backend_pid()` names the server process running the transaction, which the resolution fences:
 * behind PgBouncer it is not the connection's id.
 */
export const XID_QUERY = 'SELECT txid_current()::text AS xid, pg_backend_pid() AS pid';

/** How often the resolution looks again for the old backend while it is going away. */
const POLL_MS = 20;

/**
 * Makes sure the backend whose reply was lost (its process id is the old connection's id) can no longer
 * commit: it is terminated (a no-op if it already ended) and the resolution waits until it has left
 * `pg_stat_activity`, or finds itself running on it (behind PgBouncer), which proves it idle. Only then is what the database reports final: a transaction still in progress
 * would otherwise commit after being read as not committed. Bounded by the core's resolution deadline.
 */
export async function fencePostgresBackend(pid: string, query: ResolutionQuery): Promise<void> {
  // Behind PgBouncer a statement may run on the very session that lost its reply: it is then serving a
  // new statement, so its transaction has ended, and terminating it would only end this resolution.
  await query('SELECT pg_terminate_backend($1::int) WHERE $1::int <> pg_backend_pid()', [pid]);
  for (;;) {
    const { rows } = await query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1::int AND pid <> pg_backend_pid()',
      [pid],
    );
    if (Number(rows[0]?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Resolves a COMMIT whose reply was lost: fences the old backend, then asks `txid_status` about the
 * transaction id read with BEGIN. `committed` → committed; `aborted` → not committed (safe to retry);
 * `in progress` (impossible once the backend is gone) or NULL (the id is too old to tell) → unknown.
 */
export function postgresCommitResolver(
  pid: string,
  xid: string,
  queryOn: (fresh: DriverConnection) => ResolutionQuery,
): CommitOutcomeResolver {
  return async (fresh): Promise<CommitOutcome> => {
    const query = queryOn(fresh);
    await fencePostgresBackend(pid, query);
    const { rows } = await query('SELECT txid_status($1::bigint) AS status', [xid]);
    const status = rows[0]?.status;
    if (status === 'committed') return 'committed';
    if (status === 'aborted') return 'not-committed';
    return 'unknown';
  };
}
