/**
 * The part of `@electric-sql/pglite`'s `PGlite` that berth uses, declared structurally (as Kysely does for
 * its drivers) so the package's types do not depend on PGlite's and a caller can hand in any instance.
 */
export interface PGliteLike {
  readonly closed: boolean;
  readonly waitReady: Promise<void>;
  /** Runs one statement with bound parameters. */
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }>;
  /** Closes the database. */
  close(): Promise<void>;
}
