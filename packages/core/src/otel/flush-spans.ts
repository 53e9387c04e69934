import { type Attributes, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { FlushWrapper } from '../transaction/transaction-wrappers.js';

/**
 * A flush wrapper that runs each unit-of-work flush inside an active span `flush` (INTERNAL: the
 * statements of its transaction, BEGIN and COMMIT included, are its children), with how many rows it
 * inserts, updates and deletes, ending it with status ERROR when the flush failed.
 */
export function flushSpans(tracer: Tracer, common: Attributes): FlushWrapper {
  return (info, run) => {
    const attributes: Attributes = {
      ...common,
      'berth.flush.inserts': info.inserts,
      'berth.flush.updates': info.updates,
      'berth.flush.deletes': info.deletes,
    };
    return tracer.startActiveSpan('flush', { kind: SpanKind.INTERNAL, attributes }, async (span) => {
      try {
        return await run();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        span.setAttribute('error.type', typeof code === 'string' ? code : (error as Error).name);
        if (error instanceof Error) span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error).message) });
        throw error;
      } finally {
        span.end();
      }
    });
  };
}
