import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP proxy in front of a database server, for an adapter's fault tests: point the adapter at
 * `proxy.port` and make network faults on demand. `freeze()` stops carrying bytes without closing anything
 * (a half-open connection, a partitioned network), `freezeOpen()` silences only the connections open now
 * (a NAT that dropped its flows: new connections work), `cut()` resets every connection, `refuse` closes new
 * ones at once. Bytes sent while frozen are dropped, so a frozen connection can only be thrown away.
 * `dropNextReply(pattern)` lets the server act on a request and loses its answer: the reply lost after a
 * COMMIT, the fault whose outcome the client cannot know.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #pairs = new Set<[Socket, Socket]>();
  /** Connections frozen by `freezeOpen()`: silent for good, while later connections carry bytes. */
  readonly #silenced = new WeakSet<[Socket, Socket]>();
  #frozen = false;
  #dropArmed: { pattern: RegExp; fired: () => void; request: boolean } | undefined;
  /** Connections whose next reply from the server is to be lost. */
  readonly #dropping = new Set<Socket>();
  /** When set, new connections are closed as soon as they arrive. */
  refuse = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Listens on a free loopback port and forwards each connection to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.#accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The loopback port the proxy listens on (chosen by the system when it started): point the client there. */
  get port(): number {
    const address = this.#server.address();
    if (typeof address !== 'object' || address === null) throw new Error('the proxy is not listening');
    return address.port;
  }

  #accept(client: Socket, target: { host: string; port: number }): void {
    client.on('error', () => undefined);
    if (this.refuse) {
      client.destroy();
      return;
    }
    const upstream = tcpConnect(target.port, target.host);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    this.#pairs.add(pair);
    const forget = () => this.#pairs.delete(pair);
    client.on('close', () => {
      forget();
      upstream.destroy();
    });
    upstream.on('close', () => {
      forget();
      client.destroy();
    });
    const carries = () => !this.#frozen && !this.#silenced.has(pair);
    let fired: (() => void) | undefined;
    client.on('data', (chunk: Buffer) => {
      if (!carries()) return;
      const armed = this.#dropArmed;
      // latin1 maps every byte to one character, so a pattern matches the SQL text inside a protocol frame.
      if (armed?.pattern.test(chunk.toString('latin1'))) {
        this.#dropArmed = undefined;
        if (armed.request) {
          client.resetAndDestroy();
          upstream.resetAndDestroy();
          armed.fired();
          return;
        }
        this.#dropping.add(upstream);
        fired = armed.fired;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (this.#dropping.delete(upstream)) {
        // The server has acted and answered; the answer never reaches the client, and both sides see a reset.
        client.resetAndDestroy();
        upstream.resetAndDestroy();
        fired?.();
        return;
      }
      if (carries()) client.write(chunk);
    });
  }

  /**
   * Arms a one-shot fault: the next chunk a client sends that matches `pattern` (tested against its bytes
   * read as latin1, so SQL text inside a protocol frame matches) is forwarded; the server's first reply on
   * that connection is then swallowed and both sockets are reset. The server has executed the request, the
   * client never hears of it. Resolves once the reply has been dropped. Arming again replaces the pattern.
   */
  dropNextReply(pattern: RegExp): Promise<void> {
    return new Promise((resolve) => {
      this.#dropArmed = { pattern, fired: resolve, request: false };
    });
  }

  /**
   * Arms the other one-shot fault: the next chunk a client sends that matches `pattern` never reaches the
   * server, and both sockets are reset at once. The server never saw the request. Resolves once it fired.
   */
  dropNextRequest(pattern: RegExp): Promise<void> {
    return new Promise((resolve) => {
      this.#dropArmed = { pattern, fired: resolve, request: true };
    });
  }

  /** Disarms `dropNextReply` if it has not fired yet (its promise then never resolves). */
  disarm(): void {
    this.#dropArmed = undefined;
  }

  /** Stops carrying bytes on every connection, old and new, without closing any: the peer goes silent. */
  freeze(): void {
    this.#frozen = true;
  }

  /**
   * Silences every connection open now, for good, while new connections work: what a NAT or firewall that
   * dropped its flows, or a failover behind a virtual IP, does to a pool's idle connections. No FIN, no RST:
   * their peers just stop answering. `thaw()` does not revive them. Returns how many were silenced.
   */
  freezeOpen(): number {
    for (const pair of this.#pairs) this.#silenced.add(pair);
    return this.#pairs.size;
  }

  /** Connections open through the proxy now (silenced ones included). */
  get openConnections(): number {
    return this.#pairs.size;
  }

  /** Carries bytes again after `freeze()` (connections silenced by `freezeOpen()` stay silent). */
  thaw(): void {
    this.#frozen = false;
  }

  /** Resets every connection open now. */
  cut(): void {
    for (const [client, upstream] of this.#pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.#pairs.clear();
  }

  /** Resets every connection and closes the listening socket. */
  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
