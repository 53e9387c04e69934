import type { DriverConnection } from '../driver/driver-connection.js';

/**
 * What a driver offers for read replicas (`Driver.replication`): the primary's replication position after
 * writes, and how far a replica has replayed, so a read can go to a replica only once the replica holds
 * every write the reader has made or seen (read-your-writes by position, never by time).
 *
 * A position is the backend's own text (PostgreSQL: a WAL LSN such as `0/16B3748`); berth only stores,
 * compares and passes it on, in session tokens among others.
 */
export interface ReplicationSupport {
  /**
   * The primary's position now, on a connection to the primary: every transaction committed before the
   * call is at or before it (PostgreSQL: `pg_current_wal_insert_lsn()`).
   */
  primaryPosition(connection: DriverConnection): Promise<string>;
  /** How far the replica behind `connection` has replayed (PostgreSQL: `pg_last_wal_replay_lsn()`). */
  replayedPosition(connection: DriverConnection): Promise<string>;
  /** Orders two positions: negative when `a` is before `b`, 0 when equal, positive after. */
  compare(a: string, b: string): number;
  /** Checks a position's form (it may come from a client's session token); `undefined` when malformed. */
  parse(position: string): string | undefined;
}
