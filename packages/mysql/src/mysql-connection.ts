import {
  type BerthError,
  type CommitOutcomeResolver,
  ConnectionLostError,
  type InsertCommand,
  type ModifyCommand,
  StatementBoundExceeded,
  type StoredRow,
  TransactionConflictError,
  withinStatementBound,
} from '@berth/core';
import {
  loneInsertResolver,
  lostWriteError,
  type SqlResult,
  SqlConnection,
  mapMysqlError,
  withMysqlSchemaLock,
} from '@berth/sql';
import {
  type CommitMarkerState,
  CREATE_COMMIT_MARKER_TABLE,
  fenceMysqlThread,
  isMissingMarkerTable,
  markedCommit,
  mysqlCommitResolver,
  PRUNE_COMMIT_MARKERS,
} from './commit-marker.js';
import type { Mysql2PoolConnection, Mysql2QueryResult } from './mysql2-like.js';
import { rowlessWriteText } from './inline-values.js';
import { type OneTripPacket, modifiedRow, modifiedRowCount, oneTripModify } from './one-trip-modify.js';
import type { MysqlServer } from './mysql-server.js';
import { WritePositionTracker } from './replication/write-position.js';

/** Attempts of a one-packet modify that lost a deadlock (InnoDB rolled it back whole; nothing remains). */
const ONE_TRIP_ATTEMPTS = 5;

/** The statement's client-side bound passed with no answer (berth's timer, or mysql2's per-query `timeout`). */
function isQueryBoundExceeded(error: unknown): boolean {
  return (
    error instanceof StatementBoundExceeded ||
    (error as { code?: unknown } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT'
  );
}

/**
 * One mysql2 pooled connection, as berth's SQL commands: a statement with values runs as a server-side
 * prepared statement (mysql2's `execute`; at most `maxPreparedStatements` kept per connection, dropped
 * by a session reset), so values are bound, never interpolated, whatever the session's `sql_mode`; a
 * statement without values is sent as text with `query`. The driver keeps one wrapper per mysql2
 * connection for its whole life.
 *
 * Its `id` is the server's thread id (`CONNECTION_ID()`, the `Id` of `SHOW PROCESSLIST` and the
 * argument of `KILL`).
 */
export class MysqlConnection extends SqlConnection {
  readonly id: string;
  /** What the driver learnt about the server; read by tests and logs. */
  readonly server: MysqlServer;
  readonly #native: Mysql2PoolConnection;
  readonly #boundMs: number | undefined;
  #holdsNamedLock = false;
  readonly #commitMarkers: CommitMarkerState;
  /** The token the last COMMIT was sent with, when commit markers are on. */
  #commitToken: string | undefined;
  /** The GTIDs the replies reported since checkout (MariaDB with a binary log; see `writePosition`). */
  readonly #writes = new WritePositionTracker();

  /**
   * @param boundMs the client-side bound of every statement (see `statementBoundMs`): a statement the
   *   server has not answered by then fails with `ConnectionLostError` and the connection is broken.
   * @param commitMarkers whether to send each COMMIT with its marker row (see `commit-marker.ts`), so
   *   that a COMMIT whose reply is lost can be resolved; shared by the driver's connections. Needs a
   *   connection that allows several statements per query.
   */
  constructor(
    native: Mysql2PoolConnection,
    server: MysqlServer,
    id: string,
    boundMs?: number,
    commitMarkers: CommitMarkerState = { available: false },
  ) {
    super(server.dialect);
    this.#native = native;
    this.server = server;
    this.id = id;
    this.#boundMs = boundMs;
    this.#commitMarkers = commitMarkers;
  }

  // Sent with mysql2's `query` (text protocol): a prepared statement cannot carry two statements.
  protected override commitStatement(): string {
    this.#commitToken = undefined;
    // A transaction that wrote nothing has nothing to resolve: a marker would make it a write.
    if (!this.#commitMarkers.available || !this.wroteInTransaction) return super.commitStatement();
    const { token, sql } = markedCommit();
    this.#commitToken = token;
    return sql;
  }

  protected override commitResolver(): CommitOutcomeResolver | undefined {
    const token = this.#commitToken;
    if (token === undefined) return undefined;
    return mysqlCommitResolver(this.id, token, (fresh) => MysqlConnection.#queryOn(fresh));
  }

  protected override insertResolver(command: InsertCommand): CommitOutcomeResolver | undefined {
    const threadId = this.id;
    return loneInsertResolver(command, (fresh) =>
      fenceMysqlThread(threadId, MysqlConnection.#queryOn(fresh)),
    );
  }

  /**
   * Commits; when the marker table turns out to be missing, the server stopped at the REPLACE and the
   * COMMIT did not run: markers are turned off and the COMMIT is sent again, alone.
   */
  override async commit(): Promise<void> {
    try {
      await super.commit();
    } catch (error) {
      if (!isMissingMarkerTable(error)) throw error;
      this.#commitMarkers.available = false;
      await super.commit();
    }
  }

  /**
   * One row changed and returned in one round trip outside a transaction: BEGIN, the UPDATE, the read of
   * the row and COMMIT in one packet (see `one-trip-modify.ts`). Inside a transaction (no BEGIN or COMMIT
   * to add), or when a value cannot be sent as text exactly, the statements go one by one, values bound.
   * A statement of the packet that fails stops it with the transaction open: it is rolled back at once
   * (the connection is destroyed if even that fails), so nothing of it stays. A connection lost once the
   * packet was sent is a `CommitOutcomeUnknownError`, never a safe failure: its COMMIT may have run.
   */
  protected override modifyRow(command: ModifyCommand): Promise<StoredRow | undefined> {
    if (this.inTransaction) return super.modifyRow(command);
    const packet = oneTripModify(this.dialect, command);
    if (packet === undefined) return super.modifyRow(command);
    return this.#modifyInOneTrip(command, packet);
  }

  async #modifyInOneTrip(command: ModifyCommand, packet: OneTripPacket): Promise<StoredRow | undefined> {
    for (let attempt = 1; ; attempt++) {
      const sent = !this.broken;
      try {
        const { sql, shown } = packet;
        const { rows } = await this.observedExecute(
          sql,
          [],
          false,
          command.entity.name,
          'UPDATE',
          shown,
          // One result per statement: the event counts the row written, not the four results.
          (result) => modifiedRowCount(result.rows),
        );
        return modifiedRow(this.dialect, command.entity, rows);
      } catch (error) {
        if (!this.broken) await this.#rollBackOneTrip();
        const retry = error instanceof TransactionConflictError && attempt < ONE_TRIP_ATTEMPTS;
        if (!retry || this.broken) throw lostWriteError(error, sent, 'an UPDATE and its COMMIT');
      }
    }
  }

  /** Ends what a failed packet left open; a connection that cannot is not handed out again. */
  async #rollBackOneTrip(): Promise<void> {
    try {
      await this.observedExecute('ROLLBACK', [], true);
    } catch {
      this.markBroken();
    }
  }

  /** Creates the entities' tables, then the commit-marker table (and prunes old markers), turning markers on. */
  override async ensureSchema(entities: Parameters<SqlConnection['ensureSchema']>[0]): Promise<void> {
    await super.ensureSchema(entities);
    await this.execute(CREATE_COMMIT_MARKER_TABLE, []);
    await this.execute(PRUNE_COMMIT_MARKERS, []);
    this.#commitMarkers.available = true;
  }

  /** Statements for a resolution, run on the fresh connection it was given (one of this driver's). */
  static #queryOn(fresh: unknown): (sql: string, params: unknown[]) => Promise<SqlResult> {
    if (!(fresh instanceof MysqlConnection)) throw new TypeError('not a MySQL connection');
    return (sql, params) => fresh.execute(sql, params);
  }

  /**
   * The GTID position of the writes made since the driver handed this connection out, as their replies
   * reported it (MariaDB's tracked `last_gtid`); `undefined` when none was reported or one may be missing.
   * What read replicas route by (`MARIADB_REPLICATION.positionAfterWrite`).
   */
  get writePosition(): string | undefined {
    return this.#writes.position;
  }

  /** Called by the driver as it hands the connection out: what earlier borrowers wrote is not this one's. */
  checkedOut(): void {
    this.#writes.reset();
  }

  /** The mysql2 connection underneath, for the driver. */
  get native(): Mysql2PoolConnection {
    return this.#native;
  }

  /**
   * True when the session holds state that must not reach the next borrower: an open transaction or a named lock
   * (the schema lock, left behind only when releasing it failed). Other session state never changes:
   * berth runs only its own statements.
   */
  get dirty(): boolean {
    return this.inTransaction || this.#holdsNamedLock;
  }

  /** Marks the connection unusable, when the driver saw its socket fail while it was checked out. */
  markLost(): void {
    this.markBroken();
  }

  protected execute(sql: string, params: unknown[]): Promise<SqlResult> {
    if (this.broken) {
      return Promise.reject(new ConnectionLostError(`the MySQL connection ${this.id} was lost`));
    }
    // Not an async function: every statement comes through here, and each promise costs a hook call under
    // the promise hooks AsyncLocalStorage turns on (an `await` one more).
    let sent: Promise<Mysql2QueryResult>;
    try {
      // Values are bound in a server-side prepared statement, never spliced into the text: mysql2's
      // client-side escaping uses backslashes, which a session with NO_BACKSLASH_ESCAPES reads as plain
      // characters, so a value could end the literal. Without values the text goes as it is (`query`), so a
      // `?` in a literal is never taken for a placeholder.
      if (params.length === 0) sent = this.#native.query(sql);
      else {
        // A write that returns no rows goes as text with its values written in as literals that no
        // session setting can misread (see `inline-values.ts`): the prepared path costs mysql2 a statement
        // cache lookup, a binary packet and its own OK handling per call, and the value is the same.
        const text = rowlessWriteText(sql, params);
        sent = text === undefined ? this.#native.execute(sql, params) : this.#native.query(text);
      }
      if (this.#boundMs !== undefined) sent = withinStatementBound(sent, this.#boundMs);
    } catch (error) {
      return Promise.reject(this.#failure(error));
    }
    return sent.then(([result]) => {
      try {
        return this.#answer(sql, result);
      } catch (error) {
        throw this.#failure(error);
      }
    }, this.#failed);
  }

  /** A statement's answer as berth's result. */
  #answer(sql: string, result: Mysql2QueryResult[0]): SqlResult {
    this.#trackNamedLocks(sql);
    this.#writes.note(sql, result);
    if (Array.isArray(result)) return { rows: result, affectedRows: 0 };
    // With the FOUND_ROWS client flag, affectedRows of an UPDATE counts rows matched, not rows changed.
    // insertId is 0 when the statement generated no AUTO_INCREMENT value.
    const insertId = Number(result.insertId ?? 0);
    return { rows: [], affectedRows: result.affectedRows ?? 0, ...(insertId > 0 ? { insertId } : {}) };
  }

  /** A failed statement, noted and mapped; made once, as it is on every statement's path. */
  readonly #failed = (error: unknown): never => {
    throw this.#failure(error);
  };

  #failure(error: unknown): BerthError {
    this.#writes.noteFailure();
    return this.#fail(error);
  }

  #fail(error: unknown): BerthError {
    // mysql2's per-query timeout: the server answered nothing, neither rows nor its own statement timeout,
    // within the bound. The answer may still come, so the connection cannot be used again.
    const mapped = isQueryBoundExceeded(error)
      ? new ConnectionLostError(
          `the MySQL server did not answer on connection ${this.id} within ${this.#boundMs} ms`,
          { cause: error },
        )
      : mapMysqlError(error, this.entities);
    if (mapped instanceof ConnectionLostError) this.markBroken();
    return mapped;
  }

  protected withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
    return withMysqlSchemaLock((sql, params) => this.observedExecute(sql, params), fn);
  }

  /**
   * Notes a named lock taken (`GET_LOCK`, as the schema lock does) until it is released, conservatively:
   * a session that may still hold one is reset on release rather than handed to the next borrower.
   */
  #trackNamedLocks(sql: string): void {
    if (/^SELECT GET_LOCK\b/i.test(sql)) this.#holdsNamedLock = true;
    else if (/^SELECT RELEASE_(?:ALL_)?LOCKS?\b/i.test(sql)) this.#holdsNamedLock = false;
  }

  /** A round trip without a statement (COM_PING), cheaper than `SELECT 1`. */
  override async ping(): Promise<void> {
    try {
      await this.#native.ping();
    } catch (error) {
      throw this.#fail(error);
    }
  }

  /**
   * Brings the session back to how the driver handed it out, for a connection released dirty (or always,
   * with `resetOnRelease: 'always'`): an open transaction is rolled back; held locks, session variables,
   * temporary tables and user variables are dropped with COM_RESET_CONNECTION, then `sessionSql` (berth's
   * settings) is applied again. Throws berth errors; the driver destroys the connection when it does.
   */
  async resetSession(sessionSql: string, full: boolean): Promise<void> {
    if (this.inTransaction) await this.rollback();
    if (!full && !this.#holdsNamedLock) return;
    try {
      // COM_RESET_CONNECTION deallocates the server's prepared statements; mysql2 (3.x) empties its cache of
      // them when the reset is answered, so the next `execute` prepares again (test/injection.test.ts).
      await this.#native.reset();
    } catch (error) {
      throw this.#fail(error);
    }
    this.#holdsNamedLock = false;
    await this.execute(sessionSql, []);
  }
}
