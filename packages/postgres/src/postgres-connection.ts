import {
  type BerthError,
  type CommitOutcomeResolver,
  ConnectionLostError,
  StatementBoundExceeded,
  withinStatementBound,
  type InsertCommand,
} from '@berth/core';
import {
  loneInsertResolver,
  mapPostgresError,
  postgresDialect,
  type SqlArrayResult,
  type SqlResult,
  SqlConnection,
  withPostgresSchemaLock,
} from '@berth/sql';
import type { PgPoolClientLike, PgQueryConfigLike, PgQueryResultLike } from './pg-like.js';
import { PreparedStatementCache, preparedStatementName } from './prepared-statement-cache.js';
import { fencePostgresBackend, postgresCommitResolver, XID_QUERY } from './resolve-postgres-commit.js';

/** Where the server says the session stands, from the last ReadyForQuery. */
export type TransactionStatus = 'idle' | 'transaction' | 'failed';

/**
 * The client-side bound fired (berth's timer, or pg's `query_timeout` if a caller set one on the pool): the
 * server did not answer within the statement timeout plus a margin, so it is gone or the network is, and
 * the query may still be running on the connection.
 */
function isQueryReadTimeout(error: unknown): boolean {
  return (
    error instanceof StatementBoundExceeded ||
    (error instanceof Error && error.message === 'Query read timeout')
  );
}

/** pg's internal record of the statements the server has prepared on a connection, by name, if exposed. */
function parsedStatements(client: PgPoolClientLike): Record<string, string> | undefined {
  const parsed = (client.connection as { parsedStatements?: unknown } | undefined)?.parsedStatements;
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : undefined;
}

/** pg's answer as berth's: a simple-protocol query of several statements (see `beginStatement`) answers one result each. */
function toSqlResult(results: PgQueryResultLike | PgQueryResultLike[]): SqlResult {
  const result = Array.isArray(results) ? results[results.length - 1]! : results;
  return { rows: result.rows, affectedRows: result.rowCount ?? 0 };
}

/** `toSqlResult` for a query of `rowMode: 'array'`, which sends one statement: its rows are arrays. */
function toSqlArrayResult(results: PgQueryResultLike | PgQueryResultLike[]): SqlArrayResult {
  const result = Array.isArray(results) ? results[results.length - 1]! : results;
  return { rows: result.rows as unknown as unknown[][], affectedRows: result.rowCount ?? 0 };
}

/** How a connection behaves beyond the SQL it sends. */
export interface PostgresConnectionOptions {
  /**
   * Behind PgBouncer in transaction mode (`PostgresDriverConfig.pgbouncer`): the server session changes
   * between transactions, so `statementTimeoutMs` is set with `SET LOCAL` in each BEGIN, and a lone
   * INSERT whose reply was lost is not resolved (which session ran it is unknown).
   */
  readonly pgbouncer?: boolean;
  /** The statement timeout to set per transaction behind PgBouncer (0 or absent: none). */
  readonly statementTimeoutMs?: number;
  /**
   * The client-side bound of every statement (see `queryTimeoutMarginMs`): a statement the server has not
   * answered by then fails with `ConnectionLostError` and the connection is broken. Absent: none.
   */
  readonly statementBoundMs?: number;
  /**
   * The client pipelines (`PostgresDriverConfig.pipeline`): several reads may be in flight at once, so each
   * one's bound starts when the one before it is answered, and a bound that fires ends the socket, failing
   * every read still in flight on it.
   */
  readonly pipelined?: boolean;
}

/**
 * One pg client checked out of pg's pool: berth's SQL commands with the PostgreSQL dialect. The driver
 * makes one per physical connection and reuses it, so berth's pool can tell how long it sat idle.
 *
 * It turns `broken` on a connection-class failure (SQLSTATE class 08, 57P01-57P03, socket errors, a
 * client-side query timeout) and when pg reports an error on the client between statements, so the pool
 * destroys it instead of handing it out again.
 */
export class PostgresConnection extends SqlConnection {
  /** The backend's process id, as text: what `pg_terminate_backend` takes. */
  readonly id: string;
  readonly #client: PgPoolClientLike;
  readonly #statements: PreparedStatementCache | undefined;
  readonly #pgbouncer: boolean;
  readonly #boundMs: number | undefined;
  readonly #pipelined: boolean;
  /** Pipelined: settles once the statement sent last is answered or bounded; unset when none is in flight. */
  #tail: Promise<void> | undefined;
  /** `SET LOCAL statement_timeout = ...; ` for each BEGIN behind PgBouncer, else empty. */
  readonly #setLocalTimeout: string;
  #lostBecause: Error | undefined;
  /** The current transaction's id, read with its BEGIN: what resolves a COMMIT whose reply was lost. */
  #xid: string | undefined;
  /**
   * The server process that runs the current transaction, read with its BEGIN. It is the connection's own
   * backend, except behind PgBouncer, whose connection ids are its own and whose server sessions change
   * between transactions.
   */
  #backendPid: string | undefined;

  /**
   * @param client a connected pg client.
   * @param statements the connection's prepared statement cache, when statements are prepared.
   * @param options behaviour behind a transaction-mode pooler (see `PostgresConnectionOptions`).
   */
  constructor(
    client: PgPoolClientLike,
    statements?: PreparedStatementCache,
    options: PostgresConnectionOptions = {},
  ) {
    super(postgresDialect);
    this.#client = client;
    this.#statements = statements;
    this.#pgbouncer = options.pgbouncer === true;
    this.#boundMs = options.statementBoundMs;
    this.#pipelined = options.pipelined === true;
    const timeout = options.statementTimeoutMs ?? 0;
    this.#setLocalTimeout =
      this.#pgbouncer && timeout > 0 ? `SET LOCAL statement_timeout = ${Math.ceil(timeout)}; ` : '';
    this.id = String(client.processID ?? 'unknown');
  }

  /**
   * Called by the driver when pg emits `error` on the client (the server ended the session, the socket
   * failed): every later statement fails with `ConnectionLostError` without touching the socket.
   */
  markLost(error: Error): void {
    this.#lostBecause ??= error;
    this.markBroken();
  }

  /**
   * The session's transaction status as PostgreSQL last reported it, read from pg's internal
   * `_txStatus` where pg exposes it (8.12+); otherwise berth's own record of BEGIN and COMMIT.
   */
  get transactionStatus(): TransactionStatus {
    const status = this.#client._txStatus;
    if (status === 'T') return 'transaction';
    if (status === 'E') return 'failed';
    if (status === 'I') return 'idle';
    return this.inTransaction ? 'transaction' : 'idle';
  }

  /**
   * `BEGIN` and the transaction's id in one simple-protocol round trip, so a lost COMMIT reply can be
   * resolved with `txid_status` without costing the happy path a round trip (see `resolve-postgres-commit`).
   * A read-only transaction writes nothing, so its COMMIT has nothing to resolve, and it asks for no id:
   * `txid_current()` would assign one for nothing, and a hot standby (a read replica) refuses it.
   */
  protected override beginStatement(begin: string): string {
    this.#xid = undefined;
    this.#backendPid = undefined;
    if (/\bREAD ONLY$/.test(begin)) return `${begin}; ${this.#setLocalTimeout}`.replace(/;\s*$/, '');
    return `${begin}; ${this.#setLocalTimeout}${XID_QUERY}`;
  }

  protected override began(result: SqlResult): void {
    const row = result.rows[0];
    this.#xid = row?.xid === undefined || row.xid === null ? undefined : String(row.xid);
    this.#backendPid = row?.pid === undefined || row.pid === null ? undefined : String(row.pid);
  }

  protected override commitResolver(): CommitOutcomeResolver | undefined {
    const xid = this.#xid;
    const pid = this.#backendPid;
    if (xid === undefined || pid === undefined) return undefined;
    return postgresCommitResolver(pid, xid, (fresh) =>
      (fresh as PostgresConnection).#query.bind(fresh as PostgresConnection),
    );
  }

  protected override insertResolver(command: InsertCommand): CommitOutcomeResolver | undefined {
    // Behind PgBouncer the connection's id is the bouncer's, not a server process: nothing to fence.
    if (this.#pgbouncer || this.id === 'unknown') return undefined;
    const pid = this.id;
    return loneInsertResolver(command, (fresh) =>
      fencePostgresBackend(pid, (fresh as PostgresConnection).#query.bind(fresh as PostgresConnection)),
    );
  }

  /** Runs one statement for a commit's resolution, on this (fresh) connection. */
  #query(sql: string, params: unknown[]): Promise<SqlResult> {
    return this.execute(sql, params);
  }

  protected execute(sql: string, params: unknown[]): Promise<SqlResult> {
    return this.#dispatch({ text: sql, values: params }, toSqlResult);
  }

  /** Reads rows as arrays (`rowMode: 'array'`): `find` decodes them by column index. */
  protected override executeArrays(sql: string, params: unknown[]): Promise<SqlArrayResult> {
    return this.#dispatch({ text: sql, values: params, rowMode: 'array' }, toSqlArrayResult);
  }

  #dispatch<R>(
    query: PgQueryConfigLike,
    toResult: (results: PgQueryResultLike | PgQueryResultLike[]) => R,
  ): Promise<R> {
    if (this.broken) {
      return Promise.reject(
        new ConnectionLostError(
          `the PostgreSQL connection ${this.id} was lost${this.#lostBecause ? `: ${this.#lostBecause.message}` : ''}`,
          { cause: this.#lostBecause },
        ),
      );
    }
    const statements = this.#statements;
    if (statements !== undefined) {
      // A statement this connection has already prepared takes the hot path below by its name: nothing
      // is left to record once it is sent (it is marked as just used here). Only a first use, which may
      // deallocate another first, takes the slower path; what is never prepared (BEGIN, COMMIT) runs unnamed.
      const name = statements.use(query.text);
      if (name !== undefined) query.name = name;
      else if (PreparedStatementCache.preparable(query.text)) return this.#executePrepared(query, toResult);
    }
    // The hot path: one promise for pg's answer and one for its mapping (pg's own promise form costs two
    // more, and an async function here another two under the promise hooks AsyncLocalStorage turns on).
    return this.#bounded(this.#send(query)).then(toResult, this.#failed);
  }

  /** Maps a failed statement's error (see `#fail`); made once, as it is on every statement's path. */
  readonly #failed = (error: unknown): never => {
    throw this.#fail(error);
  };

  /** Sends one statement with pg's callback form. */
  #send(query: PgQueryConfigLike): Promise<PgQueryResultLike | PgQueryResultLike[]> {
    return new Promise((resolve, reject) => {
      this.#client.query(query, (error, result) => (error ? reject(error) : resolve(result)));
    });
  }

  /** A preparable statement this connection has not prepared: named (and prepared by pg) if the cache allows. */
  async #executePrepared<R>(
    query: PgQueryConfigLike,
    toResult: (results: PgQueryResultLike | PgQueryResultLike[]) => R,
  ): Promise<R> {
    const sql = query.text;
    const name = await this.#nameFor(sql);
    if (name !== undefined) query.name = name;
    try {
      return toResult(await this.#bounded(this.#send(query)));
    } catch (error) {
      throw this.#fail(error);
    } finally {
      if (name !== undefined) this.#remember(sql, name);
    }
  }

  /** A statement under the client-side bound, when there is one. */
  #bounded<T>(sent: Promise<T>): Promise<T> {
    const boundMs = this.#boundMs;
    if (boundMs === undefined) return sent;
    if (!this.#pipelined) return withinStatementBound(sent, boundMs);
    // Answers come in the order the statements were sent, and the server runs one at a time: a statement
    // queued behind a long one only starts when that one is answered, and so does its bound.
    const before = this.#tail;
    // Its failure is handled once the bound starts; until then it must not count as unhandled.
    if (before !== undefined) sent.catch(() => undefined);
    const bounded =
      before === undefined
        ? withinStatementBound(sent, boundMs)
        : before.then(() => withinStatementBound(sent, boundMs));
    const tail: Promise<void> = bounded.then(
      () => undefined,
      () => undefined,
    );
    this.#tail = tail;
    void tail.then(() => {
      if (this.#tail === tail) this.#tail = undefined;
    });
    return bounded;
  }

  #fail(error: unknown): BerthError {
    // A pipelined connection may carry other statements: ending the socket fails them all at once
    // (`ConnectionLostError`) instead of each waiting out its own bound on a server that does not answer.
    if (this.#pipelined && isQueryReadTimeout(error)) this.#endSocket();
    const mapped = isQueryReadTimeout(error)
      ? new ConnectionLostError(`the PostgreSQL server did not answer on connection ${this.id}`, {
          cause: error,
        })
      : mapPostgresError(error, this.entities);
    if (mapped instanceof ConnectionLostError) this.markBroken();
    return mapped;
  }

  #endSocket(): void {
    const stream = (this.#client.connection as { stream?: { destroy?(): void } } | undefined)?.stream;
    stream?.destroy?.();
  }

  /**
   * The name to prepare `sql` under, or `undefined` to run it unnamed. When the cache is full the least
   * recently used statement is deallocated first, but only outside a transaction: in a failed one the
   * server would refuse even `DEALLOCATE`, so the statement runs unnamed instead. Only for a preparable
   * statement the cache does not hold (see `#dispatch`).
   */
  async #nameFor(sql: string): Promise<string | undefined> {
    const statements = this.#statements!;
    if (statements.full) {
      const parsed = parsedStatements(this.#client);
      // Without pg's record of what it prepared, a deallocated name could not be prepared again.
      if (!parsed || this.transactionStatus !== 'idle') return undefined;
      const evicted = statements.evict()!;
      try {
        await this.#bounded(this.#client.query(`DEALLOCATE ${postgresDialect.quoteIdentifier(evicted)}`));
      } catch (error) {
        throw this.#fail(error);
      }
      delete parsed[evicted];
    }
    return preparedStatementName(sql);
  }

  /** Records a statement pg prepared, whether or not it then succeeded. */
  #remember(sql: string, name: string): void {
    const parsed = parsedStatements(this.#client);
    if (parsed ? parsed[name] !== undefined : !this.broken) this.#statements!.add(sql, name);
  }

  protected override migrationLockRefusal(): string | undefined {
    return this.#pgbouncer
      ? 'berth migrate cannot run through PgBouncer in transaction mode: its lock is held by one server ' +
          'session across several transactions; point it at the PostgreSQL server itself (a direct URL)'
      : undefined;
  }

  protected withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
    return withPostgresSchemaLock((sql, params) => this.observedExecute(sql, params), this.inTransaction, fn);
  }
}
