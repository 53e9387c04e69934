import type { DriverConnection } from './driver-connection.js';
import type { PositionOrder } from './replication-support.js';

/**
 * What a driver offers when its own client routes reads among a replica set's members (MongoDB: the
 * driver's read preference) and can make a read wait for a position by itself (MongoDB: a causally
 * consistent session's `readConcern.afterClusterTime`). berth keeps no replica pools then: it hands each
 * operation the reader's position before it runs and keeps the position its replies reported after, so the
 * same causal sessions and session tokens as the SQL replicas' work (`Database.withSession`).
 */
export interface CausalReadSupport extends PositionOrder {
  /**
   * Called on the connection an operation (or a transaction, before it begins) is about to run on.
   * `position`: the reader's position (`undefined`: none yet), which reads on the connection must not be
   * older than. `routable`: true for a read that may be served by another member (berth would send it to a
   * replica: no transaction, no lock, no unit of work), which follows the configured read preference; false
   * for everything else, which goes to the primary.
   */
  beginUse(connection: DriverConnection, position: string | undefined, routable: boolean): void;
  /**
   * Called on the same connection once the operation (or transaction) has settled, whatever its outcome:
   * the position its replies reported (`undefined` when none did), for the reader's session to keep. It
   * also forgets what `beginUse` set, so the connection carries nothing into its next use.
   */
  endUse(connection: DriverConnection): string | undefined;
}
