import { type Attributes, SpanKind, SpanStatusCode, type Tracer, context } from '@opentelemetry/api';
import type { QueryEvent, QueryListener } from '../events/query-event.js';
import { redactQueryText } from './redact-query-text.js';
import { serverAttributes } from './server-of-url.js';

/** The clock spans are stamped with: epoch milliseconds with sub-millisecond resolution. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A listener that records each query event as a CLIENT span named `<operation> <collection>` (or the
 * operation, or the system), started `durationMs` before the event and ended at it, as a child of the
 * span active where the statement was awaited (the transaction's, inside one). Failed statements get
 * status ERROR, `error.type` (berth's error code) and the exception. A statement a read replica ran names
 * the replica in `server.address`, `server.port` and `db.namespace` (and `berth.replica`), not the primary.
 */
export function querySpans(tracer: Tracer, commonOf: () => Attributes): QueryListener {
  // Replica names are few and fixed: each is parsed once.
  const replicas = new Map<string, Attributes>();
  const replicaAttributes = (server: string): Attributes => {
    let attributes = replicas.get(server);
    if (attributes === undefined) {
      attributes = { ...serverAttributes(server), 'berth.replica': server };
      replicas.set(server, attributes);
    }
    return attributes;
  };
  return (event: QueryEvent) => {
    const end = nowMs();
    const common = commonOf();
    const attributes: Attributes = {
      ...common,
      ...(event.server === undefined ? {} : replicaAttributes(event.server)),
      'db.operation.name': event.operation,
      'db.query.text': redactQueryText(event.statement, event.backend),
      'db.response.returned_rows': event.rows,
      'berth.connection.id': event.connectionId,
      'berth.in_transaction': event.inTransaction,
    };
    if (event.collection !== undefined) attributes['db.collection.name'] = event.collection;
    const name =
      event.collection !== undefined
        ? `${event.operation} ${event.collection}`
        : event.operation || String(common['db.system.name']);
    const span = tracer.startSpan(
      name,
      { kind: SpanKind.CLIENT, startTime: end - event.durationMs, attributes },
      context.active(),
    );
    if (event.error) {
      span.setAttribute('error.type', event.error.code);
      span.recordException(event.error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: event.error.message });
    }
    span.end(end);
  };
}
