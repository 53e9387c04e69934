import { setTimeout as sleep } from 'node:timers/promises';
import { Binary, Long, Timestamp } from 'bson';
import { LogicalClock } from '../clock/logical-clock.js';
import type { Document } from 'bson';
import { CommandError, ErrorCodes, codeNameOf, toCommandError } from '../errors.js';
import type { FaultInjector } from '../faults.js';
import type { Transaction } from '../sessions/transaction.js';
import { StorageView } from '../storage/storage-view.js';
import { adminCommands, sessionKey } from './admin.js';
import { optionalNumber } from './arguments.js';
import { catalogCommands } from './catalog.js';
import type { CommandContext, CommandHandler, ServerContext } from './context.js';
import { readCommands } from './crud-read.js';
import { writeCommands } from './crud-write.js';
import { cursorCommands } from './cursors.js';
import { indexCommands } from './indexes.js';
import { transactionCommands } from './transactions.js';

/** Outcome of dispatching one command. */
export type DispatchResult =
  | { readonly kind: 'reply'; readonly reply: Document }
  | { readonly kind: 'none' }
  | { readonly kind: 'close' };

const handlers = new Map<string, CommandHandler>(
  Object.entries({
    ...adminCommands,
    ...catalogCommands,
    ...readCommands,
    ...writeCommands,
    ...cursorCommands,
    ...indexCommands,
    ...transactionCommands,
  }),
);
// Command names are matched case-sensitively by mongod except for a few legacy spellings.
handlers.set('findandmodify', writeCommands.findAndModify as CommandHandler);

/** Commands that run inside a transaction's snapshot when sent with `autocommit: false`. */
const TRANSACTIONAL = new Set([
  'find',
  'getMore',
  'killCursors',
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'aggregate',
  'count',
  'distinct',
]);
/** Commands whose replies are cached for retryable-write dedupe by (lsid, txnNumber). */
const RETRYABLE = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
const TRANSACTION_CONTROL = new Set(['commitTransaction', 'abortTransaction']);
/** Commands that end sessions rather than use them. */
const SESSION_ENDING = new Set(['endSessions', 'killSessions']);

function lsidKeyOf(command: Document): string | undefined {
  const lsid = command.lsid as Document | undefined;
  return lsid && typeof lsid === 'object' && lsid.id !== undefined ? sessionKey(lsid.id) : undefined;
}

const clusterSignature = { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) };

/**
 * Routes commands to handlers and applies the cross-cutting concerns: sessions/transactions,
 * retryable-write dedupe, injected faults and maxTimeMS, error conversion, and cluster time.
 */
export class Dispatcher {
  readonly #server: ServerContext;
  readonly #faults: FaultInjector;
  readonly #clock = new LogicalClock();

  constructor(server: ServerContext, faults: FaultInjector) {
    this.#server = server;
    this.#faults = faults;
  }

  /** Executes a command; `signal` aborts injected delays when the connection goes away. */
  async dispatch(
    command: Document,
    db: string,
    connectionId: number,
    signal: AbortSignal,
  ): Promise<DispatchResult> {
    const name = Object.keys(command)[0];
    if (name === undefined)
      return this.#reply(new CommandError(ErrorCodes.FailedToParse, 'empty command').toReply());
    const lsidKey = lsidKeyOf(command);
    // A killed session's client has lost its link: whatever it still sends meets a closed socket.
    if (lsidKey !== undefined && this.#server.sessions.isKilled(lsidKey)) return { kind: 'close' };
    // A member learns later cluster times from the gossip of the commands it receives.
    const gossip = (command.$clusterTime as Document | undefined)?.clusterTime;
    if (gossip instanceof Timestamp) this.#clock.observe(gossip);
    const fault = this.#faults.faultFor({ name, db, command });
    if (fault.blackhole) return { kind: 'none' };
    if (fault.closeConnection) return { kind: 'close' };
    if (fault.delayMs) {
      const maxTimeMS = optionalNumber(command, 'maxTimeMS') ?? 0;
      const expires = maxTimeMS > 0 && fault.delayMs > maxTimeMS;
      try {
        await sleep(expires ? maxTimeMS : fault.delayMs, undefined, { signal });
      } catch {
        return { kind: 'none' };
      }
      if (expires) {
        const error = new CommandError(ErrorCodes.MaxTimeMSExpired, 'operation exceeded time limit');
        return this.#reply(this.#finish(command, undefined, error.toReply()));
      }
    }
    if (fault.error) {
      const { code, errmsg, codeName, errorLabels } = fault.error;
      const reply: Document = { ok: 0, errmsg, code, codeName: codeName ?? codeNameOf(code) };
      if (errorLabels?.length) reply.errorLabels = errorLabels;
      return this.#reply(reply);
    }
    const result = this.#reply(this.#execute(name, command, db, connectionId, fault.expireAfterRunning));
    return fault.dropReply ? { kind: 'close' } : result;
  }

  #execute(
    name: string,
    command: Document,
    db: string,
    connectionId: number,
    expireAfterRunning = false,
  ): Document {
    const handler = handlers.get(name);
    if (!handler) {
      return new CommandError(ErrorCodes.CommandNotFound, `no such command: '${name}'`).toReply();
    }
    let transaction: Transaction | undefined;
    let key: string | undefined;
    let txnNumber: number | undefined;
    try {
      key = lsidKeyOf(command);
      if (key !== undefined && !SESSION_ENDING.has(name)) this.#server.sessions.touch(key);
      txnNumber = optionalNumber(command, 'txnNumber');
      if (txnNumber !== undefined && this.#server.topology().setName === undefined) {
        // What a standalone mongod answers to transactions and retryable writes alike.
        throw new CommandError(
          ErrorCodes.IllegalOperation,
          'Transaction numbers are only allowed on a replica set member or mongos',
        );
      }
      this.#checkAfterClusterTime(command);
      const inTransaction = command.autocommit === false && key !== undefined && txnNumber !== undefined;
      if (inTransaction && TRANSACTIONAL.has(name)) {
        transaction = this.#server.transactions.resolve(
          key as string,
          txnNumber as number,
          command.startTransaction === true,
        );
      }
      const retryable = !inTransaction && key !== undefined && txnNumber !== undefined && RETRYABLE.has(name);
      if (retryable) {
        const previous = this.#server.transactions.retriedWrite(key as string, txnNumber as number, name);
        if (previous) return this.#finish(command, undefined, previous);
      }
      const ctx: CommandContext = {
        server: this.#server,
        name,
        command,
        db,
        view: new StorageView(this.#server.storage, this.#server.transactions, transaction),
        connectionId,
        sessionKey: key,
      };
      const executed = handler(ctx);
      const reply = this.#finish(
        command,
        transaction,
        expireAfterRunning
          ? new CommandError(ErrorCodes.MaxTimeMSExpired, 'operation exceeded time limit').toReply()
          : executed,
      );
      if (retryable && reply.ok === 1) {
        this.#server.transactions.recordRetryableWrite(key as string, txnNumber as number, name, reply);
      }
      return reply;
    } catch (error) {
      return this.#finish(command, transaction, toCommandError(error).toReply());
    }
  }

  /**
   * `readConcern.afterClusterTime`, as mongod checks it: a Timestamp, and never past the member's cluster
   * time (InvalidOptions). A time at or before it names writes this server already holds (one member: the
   * primary, with nothing to replicate), so the read runs at once.
   */
  #checkAfterClusterTime(command: Document): void {
    const readConcern = command.readConcern as Document | undefined;
    if (!readConcern || typeof readConcern !== 'object' || !('afterClusterTime' in readConcern)) return;
    const after = readConcern.afterClusterTime;
    if (!(after instanceof Timestamp))
      throw new CommandError(ErrorCodes.TypeMismatch, 'readConcern afterClusterTime must be a Timestamp');
    const current = this.#clock.current;
    if (after.greaterThan(current)) {
      throw new CommandError(
        ErrorCodes.InvalidOptions,
        `readConcern afterClusterTime value must not be greater than the current clusterTime. Requested clusterTime: ${after.toString()}; current clusterTime: ${current.toString()}`,
      );
    }
  }

  /** A transaction whose statement fails is aborted, as mongod does; later statements get NoSuchTransaction. */
  #finish(command: Document, transaction: Transaction | undefined, reply: Document): Document {
    const failed = reply.ok !== 1 || (Array.isArray(reply.writeErrors) && reply.writeErrors.length > 0);
    if (transaction && failed && !TRANSACTION_CONTROL.has(Object.keys(command)[0] ?? '')) {
      this.#server.transactions.abort(transaction);
    }
    return reply;
  }

  #reply(reply: Document): DispatchResult {
    // Gossip a cluster time like a replica-set member does; the driver echoes it back. Every reply gets a
    // later time, so a write's operationTime is past every earlier operation's.
    const time = this.#clock.tick();
    return {
      kind: 'reply',
      reply: {
        ...reply,
        $clusterTime: { clusterTime: time, signature: clusterSignature },
        operationTime: time,
      },
    };
  }
}
