import type { BackendName } from '../driver/capabilities.js';
import type { QueryEvent, QueryListener, QueryObserver } from './query-event.js';

/** `queryEvents` option of `connect` / `Database.open`. */
export interface QueryEventOptions {
  /** Put the bound values in each event. Off by default: values may be passwords, tokens, personal data. */
  includeValues?: boolean;
}

/**
 * The query listeners of one database. `listening` is a plain field kept in step with the listener set,
 * so adapters pay one property read per statement when nobody listens.
 */
export class QueryEventHub implements QueryObserver {
  listening = false;
  readonly includeValues: boolean;
  readonly backend: BackendName;
  readonly #listeners = new Set<QueryListener>();

  constructor(backend: BackendName, options: QueryEventOptions = {}) {
    this.backend = backend;
    this.includeValues = options.includeValues === true;
  }

  on(listener: QueryListener): void {
    this.#listeners.add(listener);
    this.listening = true;
  }

  off(listener: QueryListener): void {
    this.#listeners.delete(listener);
    this.listening = this.#listeners.size > 0;
  }

  emit(event: QueryEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not fail the statement it observes.
      }
    }
  }
}
