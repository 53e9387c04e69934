import { type BeginOptions, type Entity, type Session, UnsupportedFeatureError } from '@berth/core';
import type { ClientSession, Collection, Document } from 'mongodb';

/**
 * What `db.collection(entity, fn)` hands `fn` on MongoDB: the driver's collection and the berth
 * connection's session. Pass `{ session }` in the options of every operation: inside a transaction that
 * is what puts the operation in it (without it the operation runs outside, sees none of the transaction's
 * writes and survives its rollback); outside one it keeps the operation on the connection berth's pool
 * accounts for. Both are valid only until `fn` settles.
 */
export interface MongoCollectionAccess {
  /** The driver's collection of the entity (named as the entity). */
  readonly collection: Collection<Document>;
  /** The berth connection's session: pass `{ session }` to every operation on `collection`. */
  readonly session: ClientSession;
}

/**
 * `db.collection` typed for MongoDB: runs `fn` with the entity's driver collection and the session to
 * use, on the current transaction's connection inside one. SQL backends refuse it with
 * `UnsupportedFeatureError`.
 */
export function withMongoCollection<T>(
  db: Session,
  entity: Entity,
  fn: (access: MongoCollectionAccess) => Promise<T>,
): Promise<T> {
  return db.collection<MongoCollectionAccess, T>(entity, fn);
}

/**
 * MongoDB transactions always read from one snapshot (read concern `snapshot`) and write with majority:
 * snapshot isolation, which gives `repeatable read` and `read committed` (and more) but not
 * `serializable` (it allows write skew), so `serializable` is refused rather than silently weakened.
 * `readOnly` has no server-side equivalent; berth refuses writes in such a transaction itself.
 */
export function checkMongoBeginOptions(options: BeginOptions | undefined): void {
  if (options?.isolation === 'serializable') {
    throw new UnsupportedFeatureError(
      'transaction-isolation',
      "MongoDB transactions run with snapshot isolation, which is not serializable: use 'repeatable read' or 'read committed', or a write that conflicts on purpose",
    );
  }
}
