import type { BackendName } from '../driver/capabilities.js';
import type { QueryEvent, QueryObserver } from './query-event.js';

/**
 * The query observer of one read replica's pool: the database's own, with every event naming the replica
 * (`QueryEvent.server`), so listeners (tracing among them) can tell which server ran a statement.
 */
export class ReplicaQueryObserver implements QueryObserver {
  constructor(
    readonly inner: QueryObserver,
    /** The replica's name: its URL without credentials. */
    readonly server: string,
  ) {}

  get listening(): boolean {
    return this.inner.listening;
  }

  get includeValues(): boolean {
    return this.inner.includeValues;
  }

  get backend(): BackendName {
    return this.inner.backend;
  }

  emit(event: QueryEvent): void {
    this.inner.emit({ ...event, server: this.server });
  }
}
