import { BerthError } from '../errors/berth-error.js';
import type { QueryObserver } from './query-event.js';

/** What an adapter knows about a statement before it runs. */
export interface QueryDescription {
  readonly statement: string;
  readonly operation: string;
  readonly collection?: string;
  readonly values: readonly unknown[];
  readonly inTransaction: boolean;
  readonly connectionId: string;
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
  const { values, ...rest } = description;
  const started = performance.now();
  try {
    const result = await work();
    observer.emit({
      ...rest,
      parameterCount: values.length,
      ...(observer.includeValues ? { values } : {}),
      durationMs: performance.now() - started,
      rows: rowsOf(result),
    });
    return result;
  } catch (error) {
    observer.emit({
      ...rest,
      parameterCount: values.length,
      ...(observer.includeValues ? { values } : {}),
      durationMs: performance.now() - started,
      rows: 0,
      ...(error instanceof BerthError ? { error } : {}),
    });
    throw error;
  }
}

/** The first keyword of a SQL statement, upper-cased (`SELECT`, `BEGIN`, `SAVEPOINT`...). */
export function sqlOperation(sql: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(sql);
  return match ? match[1]!.toUpperCase() : '';
}
