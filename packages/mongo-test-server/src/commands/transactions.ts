import { CommandError, ErrorCodes } from '../errors.js';
import { noSuchTransaction } from '../sessions/transaction-manager.js';
import type { Transaction } from '../sessions/transaction.js';
import { optionalNumber } from './arguments.js';
import type { CommandContext, CommandHandler } from './context.js';

function transactionOf(ctx: CommandContext): { transaction: Transaction | undefined; txnNumber: number } {
  const txnNumber = optionalNumber(ctx.command, 'txnNumber');
  if (ctx.sessionKey === undefined || txnNumber === undefined) {
    throw new CommandError(ErrorCodes.InvalidOptions, `${ctx.name} must be run within a transaction`);
  }
  return { transaction: ctx.server.transactions.find(ctx.sessionKey, txnNumber), txnNumber };
}

/**
 * `commitTransaction`: applies the staged writes all-or-nothing. Re-committing an already committed
 * transaction (the driver retries commits) is acknowledged again.
 */
const commitTransaction: CommandHandler = (ctx) => {
  const { transaction, txnNumber } = transactionOf(ctx);
  if (!transaction || transaction.state === 'aborted') throw noSuchTransaction(txnNumber);
  ctx.server.transactions.commit(transaction);
  return { ok: 1 };
};

/** `abortTransaction`: discards the staged writes and releases the transaction's locks. */
const abortTransaction: CommandHandler = (ctx) => {
  const { transaction, txnNumber } = transactionOf(ctx);
  if (!transaction || transaction.state === 'aborted') throw noSuchTransaction(txnNumber);
  if (transaction.state === 'committed') {
    throw new CommandError(ErrorCodes.TransactionCommitted, 'Cannot abort a committed transaction');
  }
  ctx.server.transactions.abort(transaction);
  return { ok: 1 };
};

/** Transaction control commands, keyed by command name. */
export const transactionCommands: Record<string, CommandHandler> = { commitTransaction, abortTransaction };
