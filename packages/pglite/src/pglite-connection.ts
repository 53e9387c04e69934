import { ConnectionLostError } from '@berth/core';
import {
  type SqlArrayResult,
  type SqlResult,
  SqlConnection,
  mapPostgresError,
  postgresDialect,
  withPostgresSchemaLock,
} from '@berth/sql';
import type { PGliteLike } from './pglite-like.js';

/** PGlite's query options for rows as arrays, made once. */
const ARRAY_ROWS = { rowMode: 'array' } as const;

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
    const result = await this.#query(sql, params, undefined);
    return { rows: result.rows, affectedRows: result.affectedRows ?? 0 };
  }

  /** Reads rows as arrays (PGlite's `rowMode: 'array'`): `find` decodes them by column index. */
  protected override async executeArrays(sql: string, params: unknown[]): Promise<SqlArrayResult> {
    const result = await this.#query(sql, params, ARRAY_ROWS);
    return { rows: result.rows as unknown as unknown[][], affectedRows: result.affectedRows ?? 0 };
  }

  async #query(
    sql: string,
    params: unknown[],
    options: typeof ARRAY_ROWS | undefined,
  ): Promise<Awaited<ReturnType<PGliteLike['query']>>> {
    if (this.#db.closed) throw new ConnectionLostError('the PGlite database is closed');
    try {
      return await this.#db.query(sql, params, options);
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
