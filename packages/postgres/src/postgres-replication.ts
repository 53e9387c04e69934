import { type DriverConnection, type ReplicationSupport, sql } from '@berth/core';

/** A WAL location as PostgreSQL prints it: two hexadecimal halves, `0/16B3748`. */
const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

function lsnValue(lsn: string): bigint {
  const match = LSN.exec(lsn);
  if (!match) throw new TypeError(`not a WAL location: ${lsn}`);
  return (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`);
}

async function readLsn(connection: DriverConnection, query: ReturnType<typeof sql>): Promise<string> {
  const { rows } = await connection.raw!(query);
  const lsn = rows[0]?.lsn;
  if (typeof lsn !== 'string' || !LSN.test(lsn)) {
    throw new TypeError(`the server gave no WAL location (${String(lsn)}): is it a streaming replica?`);
  }
  return lsn.toUpperCase();
}

/**
 * Replication positions on PostgreSQL streaming replication: WAL locations. The primary's is its WAL
 * insert location (at or past the commit record of every transaction committed before the call); a
 * replica's is the last location it replayed, which is what its queries see.
 */
export const POSTGRES_REPLICATION: ReplicationSupport = Object.freeze({
  primaryPosition: (connection: DriverConnection) =>
    readLsn(connection, sql`SELECT pg_current_wal_insert_lsn()::text AS lsn`),
  replayedPosition: (connection: DriverConnection) =>
    readLsn(connection, sql`SELECT pg_last_wal_replay_lsn()::text AS lsn`),
  /**
   * Nothing left to replay: 0. Else the age of the last transaction replayed, the usual measure (after a
   * long idle spell on the primary it overstates the lag of the first new write for a moment). `undefined`
   * when the server is not a replica or has replayed no transaction yet.
   */
  async replicaLagMs(connection: DriverConnection): Promise<number | undefined> {
    const { rows } = await connection.raw!(sql`SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN NULL
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)
      END::float8 AS lag_ms`);
    const lag = rows[0]?.lag_ms;
    return lag === null || lag === undefined ? undefined : Number(lag);
  },
  compare(a: string, b: string): number {
    const d = lsnValue(a) - lsnValue(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  },
  parse: (position: string) => (LSN.test(position) ? position.toUpperCase() : undefined),
});
