import type { DriverConnection } from '../driver/driver-connection.js';

/**
 * How a backend's replication positions are ordered, merged and checked: all a causal session needs to keep
 * one (see `ReplicationSupport`, `CausalReadSupport`).
 */
export interface PositionOrder {
  /**
   * Orders two positions: 0 when equal, positive when `a` is past `b` (a replica at `a` holds every write
   * up to `b`), negative otherwise. Positions that are only partly ordered (MariaDB's, one sequence number
   * per replication domain) answer negative when `a` is not past `b` in every domain, and give `merge`.
   */
  compare(a: string, b: string): number;
  /**
   * The least position at or past both, for partly ordered positions (MariaDB: the later GTID of each
   * domain). Absent: the later of the two by `compare`.
   */
  merge?(a: string, b: string): string;
  /** Checks a position's form (it may come from a client's session token); `undefined` when malformed. */
  parse(position: string): string | undefined;
}

/**
 * What a driver offers for read replicas (`Driver.replication`): the primary's replication position after
 * writes, and how far a replica has replayed, so a read can go to a replica only once the replica holds
 * every write the reader has made or seen (read-your-writes by position, never by time).
 *
 * A position is the backend's own text (PostgreSQL: a WAL LSN such as `0/16B3748`; MariaDB: a GTID
 * position such as `0-10-42,1-10-7`); berth only stores, compares, merges and passes it on, in session
 * tokens among others.
 */
export interface ReplicationSupport extends PositionOrder {
  /**
   * The primary's position now, on a connection to the primary: every transaction committed before the
   * call is at or before it (PostgreSQL: `pg_current_wal_insert_lsn()`; MariaDB: `@@gtid_binlog_pos`).
   */
  primaryPosition(connection: DriverConnection): Promise<string>;
  /**
   * The position the write just made on `connection` reported in its own reply, read without a round trip
   * (MariaDB: the `last_gtid` its OK packet tracks); `undefined` when it reported none (nothing was
   * logged, or the reply was lost), and berth asks `primaryPosition` instead. Called on the connection
   * that made the write, before it goes back to the pool. Absent: berth always asks.
   */
  positionAfterWrite?(connection: DriverConnection): string | undefined;
  /** How far the replica behind `connection` has replayed (PostgreSQL: `pg_last_wal_replay_lsn()`). */
  replayedPosition(connection: DriverConnection): Promise<string>;
  /**
   * How far behind the primary the replica behind `connection` is, in milliseconds, for the lag bound
   * (`DatabaseOptions.maxReplicaLagMs`); `undefined` when it is not replaying at all (stopped, broken).
   * Absent: the backend cannot tell, and a lag bound is refused.
   */
  replicaLagMs?(connection: DriverConnection): Promise<number | undefined>;
  /**
   * Checks, once, on a connection to the primary, that the server can give positions at all (MariaDB: the
   * binary log is on; MySQL 8's GTID sets are refused): a typed error fails the first routed operation
   * instead of reads quietly missing writes. Absent: nothing to check.
   */
  verifyPrimary?(connection: DriverConnection): Promise<void>;
}

/** The later of two positions: `merge` where positions are partly ordered, else the greater by `compare`. */
export function laterPosition(replication: PositionOrder, a: string, b: string): string {
  if (replication.merge) return replication.merge(a, b);
  return replication.compare(a, b) >= 0 ? a : b;
}
