/**
 * What a backend can do. The core reads these instead of special-casing backends by name.
 */
export interface Capabilities {
  /** More than one connection can work at once. False for embedded single-connection engines (PGlite). */
  readonly multipleConnections: boolean;
  /** Multi-statement transactions are available on this deployment (MongoDB needs a replica set). */
  readonly transactions: boolean;
  /** Nested transactions can be savepoints. */
  readonly savepoints: boolean;
  /**
   * A write can return the row it wrote in the same statement (`UPDATE ... RETURNING`, MongoDB's
   * `findOneAndUpdate`): `update` by id is then one round trip (see `DriverConnection.modifyOne`).
   */
  readonly returning: boolean;
  /**
   * `SELECT ... FOR UPDATE / FOR SHARE` (with `NOWAIT` and `SKIP LOCKED`) inside transactions. Absent means
   * false: a locking read then fails with `UnsupportedError` before anything is sent.
   */
  readonly lockingReads?: boolean;
  /**
   * `ensureSchema` creates foreign keys for `belongsTo` relations and the database enforces them (a
   * violation is `ForeignKeyViolationError`, `onDelete` actions apply). Absent means false: references are
   * indexed but not enforced (MongoDB; see docs/relations.md).
   */
  readonly foreignKeys?: boolean;
  /**
   * Relation filters (`where: { author: { name } }`, `some` / `every` / `none`) travel inside the one
   * statement as correlated subqueries (`EXISTS`). Absent means false: the adapter resolves each relation
   * filter first with a pre-query of the matching keys (MongoDB; see docs/relations.md).
   */
  readonly relationSubqueries?: boolean;
  /**
   * The database generates integer ids on insert and hands them back (identity columns, AUTO_INCREMENT),
   * so entities with `field.id({ strategy: 'increment' })` work. Absent means false: such an entity is
   * refused with `UnsupportedFeatureError('generated-ids')` before anything is sent (MongoDB).
   */
  readonly generatedIds?: boolean;
}

/** The backends berth ships adapters for. Third-party adapters may use their own name. */
export type BackendName = 'postgres' | 'mysql' | 'mongodb' | 'pglite' | (string & {});
