import type { Attributes, Tracer } from '@opentelemetry/api';
import { inActiveSpan } from './active-span.js';
import type { TransactionWrapper } from '../transaction/transaction-wrappers.js';

/**
 * A transaction wrapper that runs each transaction attempt inside an active span `transaction` (INTERNAL:
 * BEGIN, COMMIT and the statements are its CLIENT children), ending it with status ERROR when the
 * transaction rolled back on a throw.
 */
export function transactionSpans(tracer: Tracer, common: () => Attributes): TransactionWrapper {
  return (info, run) => {
    const attributes: Attributes = {
      ...common(),
      'berth.transaction.attempt': info.attempt,
      'berth.transaction.nested': info.nested,
    };
    if (info.isolation !== undefined) attributes['berth.transaction.isolation'] = info.isolation;
    if (info.readOnly !== undefined) attributes['berth.transaction.read_only'] = info.readOnly;
    return inActiveSpan(tracer, 'transaction', attributes, common, run);
  };
}
