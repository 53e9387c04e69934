import { BerthError } from './berth-error.js';

/**
 * The deployment cannot run multi-statement transactions (for example a standalone MongoDB server, which
 * needs a replica set), and the operation needs atomicity. Nothing was written.
 */
export class TransactionsUnsupportedError extends BerthError {
  readonly code = 'TRANSACTIONS_UNSUPPORTED';
  readonly retryable = false;

  constructor(message = 'this database deployment does not support transactions; nothing was written') {
    super(message);
  }
}
