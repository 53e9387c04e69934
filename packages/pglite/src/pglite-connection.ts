import { ConnectionLostError } from '@berth/core';
import {
  type SqlResult,
  SqlConnection,
  mapPostgresError,
  postgresDialect,
  withPostgresSchemaLock,
} from '@berth/sql';
import type { PGliteLike } from './pglite-like.js';

/** A WebAssembly trap (`WebAssembly.RuntimeError`): the instance's memory is no longer trustworthy. */
function isWasmAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'RuntimeError';
}

/**
 * The one connection to a PGlite instance: berth's SQL commands over `PGlite.query` with the PostgreSQL
 * dialect. PGlite runs in this process, so it is only "lost" when the instance is closed or its
 * WebAssembly runtime aborts; then `broken` is true for good and the database must be reopened.
 */
export class PGliteConnection extends SqlConnection {
  readonly id: string;
  readonly #db: PGliteLike;

  constructor(db: PGliteLike, id = 'pglite-1') {
    super(postgresDialect);
    this.#db = db;
    this.id = id;
  }

  override get broken(): boolean {
    return super.broken || this.#db.closed;
  }

  protected async execute(sql: string, params: unknown[]): Promise<SqlResult> {
    if (this.#db.closed) throw new ConnectionLostError('the PGlite database is closed');
    try {
      const result = await this.#db.query(sql, params);
      return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
    } catch (error) {
      if (this.#db.closed || isWasmAbort(error)) {
        this.markBroken();
        throw new ConnectionLostError('the PGlite database is closed or failed', { cause: error });
      }
      const mapped = mapPostgresError(error, this.entities);
      if (mapped instanceof ConnectionLostError) this.markBroken();
      throw mapped;
    }
  }

  protected withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
    return withPostgresSchemaLock((sql, params) => this.observedExecute(sql, params), this.inTransaction, fn);
  }

  /**
   * Ends any transaction left open, for a connection the core discards: PGlite has no second connection
   * to open instead, so it is cleaned and kept. `ROLLBACK` outside a transaction only warns. Never throws.
   */
  async reset(): Promise<void> {
    try {
      await this.rollback();
    } catch {
      // A closed or failed instance has nothing left to roll back; `broken` already says so.
    }
  }
}
