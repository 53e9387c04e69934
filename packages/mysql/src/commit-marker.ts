import { randomUUID } from 'node:crypto';
import type { CommitOutcome, CommitOutcomeResolver } from '@berth/core';
import type { SqlResult } from '@berth/sql';

/**
 * The table of commit markers. MySQL and MariaDB have no `txid_status`: once a COMMIT's reply is lost,
 * nothing on the server says whether that session's last transaction committed. A GTID would (MySQL's
 * `session_track_gtids`, MariaDB's `@@last_gtid`), but only with the binary log on, and it is learnt from
 * the COMMIT's own reply or a later statement on the same session, both lost with the connection; the
 * MariaDB berth runs against has `log_bin` OFF, so there are no GTIDs at all. So berth writes the answer
 * into the transaction itself: one row per server thread, replaced with a fresh token in the same packet
 * as COMMIT (`REPLACE ...; COMMIT`, one round trip, as before). If the transaction committed, the row
 * holds that token; if not, it holds an older one or none. The table is created by `ensureSchema` (with
 * the entities' tables), never on the acquire path; rows of ended threads are harmless and pruned there
 * after a day, since a marker only matters for the seconds of a resolution. Until it exists, a COMMIT
 * goes unmarked (see `CommitMarkerState`) and a lost reply to it stays unknown.
 */
export const COMMIT_MARKER_TABLE = 'berth_commit_markers';

export const CREATE_COMMIT_MARKER_TABLE = `CREATE TABLE IF NOT EXISTS \`${COMMIT_MARKER_TABLE}\` (
  connection_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  token CHAR(36) NOT NULL,
  written_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB`;

export const PRUNE_COMMIT_MARKERS = `DELETE FROM \`${COMMIT_MARKER_TABLE}\` WHERE written_at < NOW() - INTERVAL 1 DAY`;

/**
 * Whether COMMITs carry markers, shared by a driver's connections: on until a COMMIT finds the table
 * missing (then off, and that COMMIT is sent again alone), on again once `ensureSchema` has created it.
 */
export interface CommitMarkerState {
  available: boolean;
}

/** The error of a marked COMMIT whose marker table does not exist (ER_NO_SUCH_TABLE, 1146). */
export function isMissingMarkerTable(error: unknown): boolean {
  const { driverCode, message } = error as { driverCode?: unknown; message?: unknown };
  return driverCode === 1146 && typeof message === 'string' && message.includes(COMMIT_MARKER_TABLE);
}

/** A new token, and the statement that commits with it: the marker row, then COMMIT, in one packet. */
export function markedCommit(): { token: string; sql: string } {
  const token = randomUUID();
  return {
    token,
    sql: `REPLACE INTO \`${COMMIT_MARKER_TABLE}\` (connection_id, token) VALUES (CONNECTION_ID(), '${token}'); COMMIT`,
  };
}

/** Runs one statement on the fresh connection a resolution was given. */
export type ResolutionQuery = (sql: string, params: unknown[]) => Promise<SqlResult>;

/** How often the resolution looks again for the old thread while it is going away. */
const POLL_MS = 20;

/**
 * Makes sure the server thread whose reply was lost can no longer commit: `KILL CONNECTION` (an error if it
 * already ended, which is what is wanted), then wait until it has left the process list. A killed thread
 * rolls back what it has not committed before it leaves, so after that the marker's answer is final.
 */
export async function fenceMysqlThread(threadId: string, query: ResolutionQuery): Promise<void> {
  if (!/^\d+$/.test(threadId)) throw new Error(`not a thread id: ${threadId}`);
  await query(`KILL CONNECTION ${threadId}`, []).catch(() => undefined);
  for (;;) {
    const { rows } = await query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ?', [
      threadId,
    ]);
    if (Number(rows[0]?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Resolves a marked COMMIT whose reply was lost: fences the old thread, then reads its marker. Our token
 * → committed; anything else → not committed (the REPLACE was part of the transaction, so it committed
 * exactly when the transaction did). The marker is then deleted, best effort.
 */
export function mysqlCommitResolver(
  threadId: string,
  token: string,
  queryOn: (fresh: unknown) => ResolutionQuery,
): CommitOutcomeResolver {
  return async (fresh): Promise<CommitOutcome> => {
    const query = queryOn(fresh);
    await fenceMysqlThread(threadId, query);
    const { rows } = await query(`SELECT token FROM \`${COMMIT_MARKER_TABLE}\` WHERE connection_id = ?`, [
      threadId,
    ]);
    const committed = rows[0]?.token === token;
    await query(`DELETE FROM \`${COMMIT_MARKER_TABLE}\` WHERE connection_id = ?`, [threadId]).catch(
      () => undefined,
    );
    return committed ? 'committed' : 'not-committed';
  };
}
