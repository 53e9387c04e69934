import { BerthError } from '../errors/berth-error.js';
import type { QueryEvent, QueryObserver } from './query-event.js';

/** What an adapter knows about a statement before it runs. */
export interface QueryDescription {
  /** The SQL text with placeholders, or on MongoDB the command name and collection (`find employees`). */
  readonly statement: string;
  /** The SQL statement's first keyword (`SELECT`, `BEGIN`...) or the MongoDB command name. */
  readonly operation: string;
  /** The table or collection the statement targets, where the adapter knows it. */
  readonly collection?: string;
  /** The bound values, in placeholder order; events carry them only with `includeValues`. */
  readonly values: readonly unknown[];
  /** Whether the statement runs inside a transaction. */
  readonly inTransaction: boolean;
  /** The id of the physical connection it runs on, as in the pool's events. */
  readonly connectionId: string;
}

function event(
  observer: QueryObserver,
  d: QueryDescription,
  durationMs: number,
  rows: number,
  error: BerthError | undefined,
): QueryEvent {
  // One object of one shape per event (absent fields are undefined), so listeners stay monomorphic.
  return {
    backend: observer.backend,
    statement: d.statement,
    operation: d.operation,
    collection: d.collection,
    parameterCount: d.values.length,
    values: observer.includeValues ? d.values : undefined,
    durationMs,
    rows,
    inTransaction: d.inTransaction,
    connectionId: d.connectionId,
    error,
  };
}

/**
 * Runs `work`, timing it and reporting it to `observer` as one query event (rows from `rowsOf`), then
 * returns or rethrows its outcome unchanged. Call it only when `observer.listening` is true; otherwise run
 * `work` directly, which is what keeps events free when nobody listens.
 */
export async function observeQuery<T>(
  observer: QueryObserver,
  description: QueryDescription,
  work: () => Promise<T>,
  rowsOf: (result: T) => number,
): Promise<T> {
  const started = performance.now();
  let result: T;
  try {
    result = await work();
  } catch (error) {
    const mapped = error instanceof BerthError ? error : undefined;
    observer.emit(event(observer, description, performance.now() - started, 0, mapped));
    throw error;
  }
  observer.emit(event(observer, description, performance.now() - started, rowsOf(result), undefined));
  return result;
}

/** The first keyword of a SQL statement, upper-cased (`SELECT`, `BEGIN`, `SAVEPOINT`...). */
export function sqlOperation(sql: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(sql);
  return match ? match[1]!.toUpperCase() : '';
}
