import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Document } from 'bson';
import type { Dispatcher } from './commands/dispatch.js';
import { optionalNumber } from './commands/arguments.js';
import { MsgFlags, OpCode, decodeRequest, encodeMsgReply, encodeReply } from './wire/codec.js';
import type { Request } from './wire/codec.js';
import { MessageFramer } from './wire/framing.js';

/**
 * One client socket. Messages are processed strictly in arrival order (the driver never pipelines
 * on a connection), so a slow or blackholed command only stalls its own connection.
 */
export class ClientConnection {
  readonly id: number;
  readonly #socket: Socket;
  readonly #dispatcher: Dispatcher;
  readonly #framer = new MessageFramer();
  readonly #abort = new AbortController();
  #queue: Promise<void> = Promise.resolve();
  #inFlight = 0;
  readonly #closed: Promise<void>;

  constructor(id: number, socket: Socket, dispatcher: Dispatcher) {
    this.id = id;
    this.#socket = socket;
    this.#dispatcher = dispatcher;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    // Errors (e.g. ECONNRESET from a client that vanished) just end the connection.
    socket.on('error', () => socket.destroy());
    this.#closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#abort.abort();
        resolve();
      });
    });
  }

  /** True while a command is executing (serverStatus `connections.active`). */
  get active(): boolean {
    return this.#inFlight > 0;
  }

  /** Resolves once the socket has fully closed. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Drops the socket abruptly, as a crashed server or broken network would. */
  destroy(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    let messages: Buffer[];
    try {
      messages = this.#framer.push(chunk);
    } catch {
      this.destroy();
      return;
    }
    for (const message of messages) {
      this.#queue = this.#queue.then(() => this.#handle(message)).catch(() => this.destroy());
    }
  }

  async #handle(message: Buffer): Promise<void> {
    if (this.#abort.signal.aborted) return;
    let request: Request;
    try {
      request = decodeRequest(message);
    } catch {
      // An undecodable message means we lost sync with the client: close like mongod would.
      this.destroy();
      return;
    }
    const maxAwaitTimeMS = optionalNumber(request.command, 'maxAwaitTimeMS');
    if (isHello(request.command) && request.command.topologyVersion && maxAwaitTimeMS !== undefined) {
      void this.#streamHello(request, maxAwaitTimeMS);
      return;
    }
    this.#inFlight++;
    try {
      const result = await this.#dispatcher.dispatch(
        request.command,
        request.db,
        this.id,
        this.#abort.signal,
      );
      if (result.kind === 'close') this.destroy();
      if (result.kind !== 'reply') return;
      if (request.opCode === OpCode.OP_MSG && request.flags & MsgFlags.moreToCome) return; // w:0 write
      this.#write(request, result.reply, 0);
    } finally {
      this.#inFlight--;
    }
  }

  /**
   * The driver's streaming monitor sends an "awaitable hello" (topologyVersion + maxAwaitTimeMS,
   * exhaustAllowed). Our topology never changes while a process runs, so we answer after
   * maxAwaitTimeMS and, when exhaust is allowed, keep answering with moreToCome set until the
   * socket closes — exactly what the driver expects from a healthy idle primary.
   */
  async #streamHello(request: Request, maxAwaitTimeMS: number): Promise<void> {
    const exhaust = (request.flags & MsgFlags.exhaustAllowed) !== 0;
    do {
      try {
        await sleep(maxAwaitTimeMS, undefined, { signal: this.#abort.signal });
      } catch {
        return;
      }
      const result = await this.#dispatcher.dispatch(
        request.command,
        request.db,
        this.id,
        this.#abort.signal,
      );
      if (result.kind !== 'reply' || this.#socket.destroyed) return;
      this.#write(request, result.reply, exhaust ? MsgFlags.moreToCome : 0);
    } while (exhaust);
  }

  #write(request: Request, reply: Document, flags: number): void {
    if (this.#socket.destroyed) return;
    const encode = (doc: Document): Buffer =>
      request.opCode === OpCode.OP_QUERY
        ? encodeReply(request.requestId, doc)
        : encodeMsgReply(request.requestId, doc, flags);
    let bytes: Buffer;
    try {
      bytes = encode(reply);
    } catch (error) {
      // e.g. a reply over the BSON size limit: answer with an error instead of dropping the socket.
      const errmsg = error instanceof Error ? error.message : String(error);
      bytes = encode({ ok: 0, errmsg, code: 10334, codeName: 'BSONObjectTooLarge' });
    }
    this.#socket.write(bytes);
  }
}

function isHello(command: Document): boolean {
  const name = Object.keys(command)[0]?.toLowerCase();
  return name === 'hello' || name === 'ismaster';
}
