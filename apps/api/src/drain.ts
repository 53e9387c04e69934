import type { IncomingMessage, Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/** How a graceful close spends its time, from the moment it starts (the signal). */
export interface DrainTiming {
  /**
   * How long a keep-alive socket that is idle at the signal stays open: a request already on its way (sent
   * before the signal, its bytes still in the socket buffer, unparsed) is served in that window.
   */
  readonly graceMs: number;
  /** When every socket still open is destroyed, whatever it is doing. */
  readonly deadlineMs: number;
}

/**
 * One second of grace covers a request sent before the signal by any client on a reasonable network; six
 * seconds bound the requests in flight, leaving the pool its 3 s within the contract's 10 s.
 */
export const DRAIN_TIMING: DrainTiming = { graceMs: 1_000, deadlineMs: 6_000 };

/** Longest the listening socket stays open after the signal while connections queued before it are accepted. */
const ACCEPT_QUEUED_MS = 250;

/** How often, past the grace window, sockets that became idle are closed. */
const IDLE_SWEEP_MS = 25;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());

/**
 * Closes an HTTP server without resetting a request that is on its way.
 *
 * Node's own `server.close()` destroys every keep-alive socket it considers idle: no request being parsed
 * and no response being written. A socket whose next request has arrived in the kernel's buffer but has not
 * been read yet is idle in that sense, so the client that sent it gets ECONNRESET: a request in flight,
 * lost. HTTP/1.1 has no way to tell a client "stop sending on this connection" other than a response with
 * `Connection: close`, so the drain:
 *
 * 1. stops accepting at once, once the connections the kernel completed before the signal are accepted
 *    (closing the listening socket would reset them), keeping open sockets open;
 * 2. answers every request that arrives on an open socket, with `Connection: close` so Node closes the
 *    socket after the response (unless more pipelined requests on it still wait for theirs: the last one
 *    carries it);
 * 3. after the grace window, closes sockets that are idle (no request being received or answered, or never
 *    used), again and again until none is left, since a socket may become idle later;
 * 4. at the deadline, destroys whatever is left.
 */
export class ConnectionDrain {
  /** Requests on each socket that have arrived and are not yet answered (several when pipelined). */
  readonly #unanswered = new WeakMap<Socket, number>();
  /** Open sockets that have not carried a request yet. */
  readonly #unused = new Set<Socket>();
  #closing = false;
  #accepted = 0;

  constructor(readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.#accepted++;
      this.#unused.add(socket);
      socket.once('close', () => this.#unused.delete(socket));
    });
    // First among the listeners, so a request is counted before the app can answer it.
    server.prependListener('request', (request: IncomingMessage, response) => {
      const socket = request.socket;
      this.#unused.delete(socket);
      this.#unanswered.set(socket, (this.#unanswered.get(socket) ?? 0) + 1);
      let answered = false;
      const done = () => {
        if (answered) return;
        answered = true;
        this.#unanswered.set(socket, (this.#unanswered.get(socket) ?? 1) - 1);
      };
      response.once('finish', done);
      response.once('close', done);
    });
  }

  /** True once closing has started. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Marks the server as closing without closing anything: responses from now on close their socket. */
  markClosing(): void {
    this.#closing = true;
  }

  /**
   * Whether the response to `request` should carry `Connection: close`: the server is closing and no other
   * request on the same socket (pipelined behind this one) still waits for its answer.
   */
  closesConnection(request: IncomingMessage): boolean {
    return this.#closing && (this.#unanswered.get(request.socket) ?? 0) <= 1;
  }

  /**
   * Accepts the connections waiting in the kernel's accept queue, whose clients may already have sent a
   * request: closing the listening socket resets them. libuv (since 1.45, Node 20) accepts one connection
   * per turn of the event loop, so under load a burst of new connections takes several turns to accept.
   * The listening socket is level-triggered: a poll phase that accepts nothing found the queue empty. So
   * turns go by until one accepts nothing, for at most `ACCEPT_QUEUED_MS`.
   */
  async #acceptQueued(started: number): Promise<void> {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    // From the signal's poll phase to its check phase: no poll phase in between yet.
    await turn();
    for (;;) {
      const before = this.#accepted;
      await turn(); // one poll phase
      if (this.#accepted === before || performance.now() - started >= ACCEPT_QUEUED_MS) return;
    }
  }

  /**
   * Destroys the sockets with nothing to do. Node's `closeIdleConnections` covers those that have served a
   * request; a connection that has not sent a byte yet counts as waiting for its headers there, so it is
   * closed here (one with a partial request has read bytes and is left to finish or to the deadline).
   */
  #closeIdle(): void {
    this.server.closeIdleConnections();
    for (const socket of this.#unused) if (socket.bytesRead === 0) socket.destroy();
  }

  /** Runs the drain; resolves once every connection is closed (at the latest just past the deadline). */
  async drain(timing: DrainTiming = DRAIN_TIMING): Promise<void> {
    const started = performance.now();
    this.#closing = true;
    if (!this.server.listening) return;
    await this.#acceptQueued(started);
    let closed = false;
    const allClosed = new Promise<void>((resolve) => {
      // net.Server's close, not http.Server's: the latter also destroys the sockets Node deems idle, which
      // is exactly the reset this class avoids. The callback runs once the last connection has closed.
      NetServer.prototype.close.call(this.server, () => {
        closed = true;
        resolve();
      });
    });
    await Promise.race([allClosed, sleep(started + timing.graceMs - performance.now())]);
    while (!closed && performance.now() - started < timing.deadlineMs) {
      this.#closeIdle();
      await Promise.race([allClosed, sleep(IDLE_SWEEP_MS)]);
    }
    if (!closed) {
      this.server.closeAllConnections();
      await Promise.race([allClosed, sleep(500)]);
    }
  }
}
