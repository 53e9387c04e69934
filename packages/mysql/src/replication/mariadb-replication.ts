import { type DriverConnection, type ReplicationSupport, sql, UnsupportedFeatureError } from '@berth/core';
import { MysqlConnection } from '../mysql-connection.js';
import { compareGtidPositions, mergeGtidPositions, parseGtidPosition } from './gtid-position.js';

function mysqlConnection(connection: DriverConnection): MysqlConnection {
  if (!(connection instanceof MysqlConnection)) throw new TypeError('not a MySQL connection');
  return connection;
}

async function readPosition(connection: DriverConnection, query: ReturnType<typeof sql>): Promise<string> {
  const { rows } = await connection.raw!(query);
  const text = rows[0]?.position;
  const position = typeof text === 'string' ? parseGtidPosition(text) : undefined;
  if (position === undefined) throw new TypeError(`the server gave no GTID position (${String(text)})`);
  return position;
}

/**
 * Replication positions on MariaDB's GTID replication. After a write the primary's position is the
 * `last_gtid` its reply carried (no round trip; see `WritePositionTracker`), else `@@gtid_binlog_pos`,
 * the last GTID written to the binary log in each domain. A replica's is `@@gtid_slave_pos`, what its SQL
 * thread has applied (updated once the applied transaction has committed, so its rows are visible). berth
 * reads that value rather than asking `MASTER_GTID_WAIT(position, 0)`: one answer then covers every later
 * reader at or before it, without asking again.
 *
 * MySQL 8 has GTID *sets* (`uuid:1-42`), with gaps, another form and other functions
 * (`WAIT_FOR_EXECUTED_GTID_SET`): not supported, and refused by `verifyPrimary`.
 */
export const MARIADB_REPLICATION: ReplicationSupport = Object.freeze({
  primaryPosition: (connection: DriverConnection) =>
    readPosition(connection, sql`SELECT @@gtid_binlog_pos AS position`),
  positionAfterWrite: (connection: DriverConnection) => mysqlConnection(connection).writePosition,
  replayedPosition: (connection: DriverConnection) =>
    readPosition(connection, sql`SELECT @@gtid_slave_pos AS position`),
  /**
   * `Seconds_Behind_Master` of `SHOW SLAVE STATUS` (whole seconds; the largest of several sources), in
   * milliseconds; `undefined` when it is NULL (a thread stopped) or the server replicates nothing.
   * Needs the REPLICA MONITOR (or SUPER) privilege on the replica.
   */
  async replicaLagMs(connection: DriverConnection): Promise<number | undefined> {
    const { rows } = await connection.raw!(sql`SHOW SLAVE STATUS`);
    if (rows.length === 0) return undefined;
    let lag = 0;
    for (const row of rows) {
      const seconds = row.Seconds_Behind_Master;
      if (seconds === null || seconds === undefined) return undefined;
      lag = Math.max(lag, Number(seconds) * 1000);
    }
    return lag;
  },
  compare: compareGtidPositions,
  merge: mergeGtidPositions,
  parse: parseGtidPosition,
  async verifyPrimary(connection: DriverConnection): Promise<void> {
    if (mysqlConnection(connection).server.flavour === 'mysql') {
      throw new UnsupportedFeatureError(
        'read-replicas',
        'read replicas on MySQL 8 (GTID sets) are not supported: berth routes MariaDB replicas by GTID position',
      );
    }
    const { rows } = await connection.raw!(sql`SELECT @@log_bin AS log_bin`);
    if (Number(rows[0]?.log_bin) !== 1) {
      throw new UnsupportedFeatureError(
        'read-replicas',
        'the primary has no binary log (log_bin is OFF), so no GTIDs: it cannot have replicas to route reads to',
      );
    }
  },
});
