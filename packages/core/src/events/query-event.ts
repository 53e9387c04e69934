import type { BackendName } from '../driver/capabilities.js';
import type { BerthError } from '../errors/berth-error.js';

/** One statement (SQL) or command (MongoDB) that berth sent, or tried to send. */
export interface QueryEvent {
  /** The backend that ran the statement. */
  readonly backend: BackendName;
  /**
   * The SQL text with its placeholders (`$1`, `?`), never the values; on MongoDB the command name and
   * collection, e.g. `find employees`.
   */
  readonly statement: string;
  /** The operation: the SQL statement's first keyword (`SELECT`, `BEGIN`...) or the MongoDB command name. */
  readonly operation: string;
  /** The table or collection, where the adapter knows it (MongoDB commands, berth's own entity statements). */
  readonly collection?: string;
  /** How many values were bound (SQL parameters; on MongoDB the filter, update and documents sent). */
  readonly parameterCount: number;
  /** The values themselves, only with `queryEvents: { includeValues: true }`: they may be secrets. */
  readonly values?: readonly unknown[];
  /** Wall time from sending to the answer, in milliseconds, sub-millisecond resolution. */
  readonly durationMs: number;
  /** Rows returned, or rows affected for a write; 0 when it failed. */
  readonly rows: number;
  /** The statement ran inside a transaction (BEGIN, COMMIT and ROLLBACK count as inside). */
  readonly inTransaction: boolean;
  /** The `DriverConnection.id` it ran on (a backend pid, thread id, or berth's id for a MongoDB session). */
  readonly connectionId: string;
  /** The neutral error it failed with, if it failed. */
  readonly error?: BerthError;
  /**
   * The read replica that ran it (its name: the URL without credentials); absent for the primary and for
   * a database without replicas.
   */
  readonly server?: string;
}

/** Receives query events; exceptions it throws are swallowed, so a listener cannot break a statement. */
export type QueryListener = (event: QueryEvent) => void;

/**
 * What the core hands adapters (through `DriverHooks.queries`) to report statements. Adapters must check
 * `listening` before building an event, so nothing is timed or allocated when nobody listens.
 */
export interface QueryObserver {
  /** True while at least one listener is registered. */
  readonly listening: boolean;
  /** Include bound values in events (`QueryEvent.values`); leave `values` undefined otherwise. */
  readonly includeValues: boolean;
  /** The backend every event names. */
  readonly backend: BackendName;
  /** Hands `event` to every listener, as is (adapters build it with `observeQuery`). */
  emit(event: QueryEvent): void;
}
