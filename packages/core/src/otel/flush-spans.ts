import type { Attributes, Tracer } from '@opentelemetry/api';
import { inActiveSpan } from './active-span.js';
import type { FlushWrapper } from '../transaction/transaction-wrappers.js';

/**
 * A flush wrapper that runs each unit-of-work flush inside an active span `flush` (INTERNAL: the
 * statements of its transaction, BEGIN and COMMIT included, are its children), with how many rows it
 * inserts, updates and deletes, ending it with status ERROR when the flush failed.
 */
export function flushSpans(tracer: Tracer, common: () => Attributes): FlushWrapper {
  return (info, run) => {
    const attributes: Attributes = {
      ...common(),
      'berth.flush.inserts': info.inserts,
      'berth.flush.updates': info.updates,
      'berth.flush.deletes': info.deletes,
    };
    return inActiveSpan(tracer, 'flush', attributes, common, run);
  };
}
