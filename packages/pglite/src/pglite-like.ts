/**
 * The part of `@electric-sql/pglite`'s `PGlite` that berth uses, declared structurally (as Kysely does for
 * its drivers) so the package's types do not depend on PGlite's and a caller can hand in any instance.
 */
export interface PGliteLike {
  /** Whether `close()` has been called: a closed instance is not reopened. */
  readonly closed: boolean;
  /** Settles once the database has booted (PGlite's initdb or reopening the data folder). */
  readonly waitReady: Promise<void>;
  /**
   * Runs one statement with bound parameters; with `{ rowMode: 'array' }` each row is an array of its
   * column values in select order.
   */
  query(
    sql: string,
    params?: unknown[],
    options?: {
      /** `'array'`: rows as arrays of column values rather than objects by column name. */
      rowMode?: 'array' | 'object';
    },
  ): Promise<{
    /**
     * The rows the statement returned, by column name (or arrays, see `rowMode`); empty for a statement
     * that returns none.
     */
    rows: Record<string, unknown>[];
    /** Rows inserted, updated or deleted, for statements that change rows. */
    affectedRows?: number;
  }>;
  /** Closes the database. */
  close(): Promise<void>;
}
