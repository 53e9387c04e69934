/** What `SqlConnection.execute` resolves to. */
export interface SqlResult {
  /** Result rows keyed by column name; empty for statements that return none. */
  readonly rows: Record<string, unknown>[];
  /**
   * Rows inserted, deleted, or *matched* by an UPDATE (not only those whose values changed): the core's
   * optimistic-lock checks count matches. 0 for statements that affect no rows.
   */
  readonly affectedRows: number;
  /**
   * The id the database generated for the (first) row an INSERT wrote into an AUTO_INCREMENT column, where
   * the driver reports one (mysql2's `insertId`); absent elsewhere and when no id was generated.
   */
  readonly insertId?: number;
}

/**
 * What `SqlConnection.executeArrays` resolves to: `SqlResult` with each row an array of its column values
 * in the order the statement selects them (pg's and PGlite's `rowMode: 'array'`).
 */
export interface SqlArrayResult {
  /** Result rows, each the column values in select order; empty for statements that return none. */
  readonly rows: unknown[][];
  /** As `SqlResult.affectedRows`. */
  readonly affectedRows: number;
}

/** Runs one statement with bound parameters; the shape of `SqlConnection.execute`. */
export type ExecuteStatement = (sql: string, params: unknown[]) => Promise<SqlResult>;
