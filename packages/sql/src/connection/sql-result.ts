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

/** Runs one statement with bound parameters; the shape of `SqlConnection.execute`. */
export type ExecuteStatement = (sql: string, params: unknown[]) => Promise<SqlResult>;
