import type { CausalReadSupport, DriverConnection } from '@berth/core';
import { MongoConnection } from '../mongo-connection.js';
import { comparePositions, formatPosition, mergePositions, readPosition } from './cluster-time-position.js';

function mongoConnection(connection: DriverConnection): MongoConnection {
  if (!(connection instanceof MongoConnection))
    throw new Error('a MongoDB causal position was handed to a connection of another driver');
  return connection;
}

/**
 * Causal sessions on a MongoDB replica set or sharded cluster, through the driver's own causally
 * consistent sessions: before an operation, its connection's session is set to the reader's position
 * (`operationTime`, and the signed `$clusterTime` gossiped with it), so the driver sends
 * `readConcern.afterClusterTime` on reads and on a transaction's first command; after it, the session's
 * `operationTime` (advanced by every reply) is the position kept. Reads berth would give a replica follow
 * the client's read preference (the URL's `readPreference`, or `clientOptions.readPreference`); every other
 * operation asks for the primary.
 */
export const mongoCausalReads: CausalReadSupport = {
  compare: comparePositions,
  merge: mergePositions,
  parse: (position) => (readPosition(position) === undefined ? undefined : position),
  beginUse(connection, position, routable) {
    mongoConnection(connection).beginCausalUse(
      position === undefined ? undefined : readPosition(position),
      routable,
    );
  },
  endUse(connection) {
    const reported = mongoConnection(connection).endCausalUse();
    return reported === undefined ? undefined : formatPosition(reported);
  },
};
