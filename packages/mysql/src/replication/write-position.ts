import { mergeGtidPositions, parseGtidPosition } from './gtid-position.js';

/** The OK packet's status flag for "a transaction is open" (SERVER_STATUS_IN_TRANS). */
const SERVER_STATUS_IN_TRANS = 0x0001;

/** Statements that change no rows, whose OK packets never carry a GTID: transaction and session control. */
const CONTROL_STATEMENT = /^\s*(?:SET|START\s+TRANSACTION|BEGIN|SAVEPOINT|RELEASE|ROLLBACK|DO)\b/i;

/** An OK packet as mysql2 decodes it (its class is `ResultSetHeader`; rows are plain objects). */
interface OkPacket {
  readonly serverStatus?: number;
  readonly stateChanges?: { readonly systemVariables?: Record<string, string> };
}

function okPackets(result: unknown): OkPacket[] {
  const isOk = (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value)?.constructor?.name === 'ResultSetHeader';
  if (isOk(result)) return [result as OkPacket];
  // Several statements in one query (the marked COMMIT): one OK packet or row set each.
  return Array.isArray(result) ? (result.filter(isOk) as OkPacket[]) : [];
}

/**
 * What a primary connection's replies said about the GTIDs of its writes, since it was checked out: MariaDB
 * reports the session's `last_gtid` in the OK packet of every statement that committed a transaction to the
 * binary log (session tracking, `session_track_system_variables`, which berth turns on for it), so the
 * position after a write costs no round trip. A statement that ended outside a transaction without
 * reporting one (an UPDATE that changed nothing, a write to a table not logged) makes the position unsure:
 * it may have seen another session's newer commit, so berth then asks the primary (`@@gtid_binlog_pos`).
 */
export class WritePositionTracker {
  #position: string | undefined;
  #unsure = false;

  /** Forgets what an earlier borrower's statements reported: called as the connection is checked out. */
  reset(): void {
    this.#position = undefined;
    this.#unsure = false;
  }

  /** Notes the reply to `sql`: mysql2's result of a query or execute. */
  note(sql: string, result: unknown): void {
    for (const ok of okPackets(result)) {
      const reported = ok.stateChanges?.systemVariables?.last_gtid;
      const position = reported === undefined ? undefined : parseGtidPosition(reported);
      if (position !== undefined && position !== '') {
        this.#position =
          this.#position === undefined ? position : mergeGtidPositions(this.#position, position);
      } else if (((ok.serverStatus ?? 0) & SERVER_STATUS_IN_TRANS) === 0 && !CONTROL_STATEMENT.test(sql)) {
        this.#unsure = true;
      }
    }
  }

  /** Notes a statement that failed: whatever it did, its reply did not say. */
  noteFailure(): void {
    this.#unsure = true;
  }

  /** The position of every write reported since checkout; `undefined` when none was, or one may be missing. */
  get position(): string | undefined {
    return this.#unsure ? undefined : this.#position;
  }
}
