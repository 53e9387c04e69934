import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP proxy in front of a database server, for an adapter's fault tests: point the adapter at
 * `proxy.port` and make network faults on demand. `freeze()` stops carrying bytes without closing anything
 * (a half-open connection, a partitioned network), `freezeOpen()` silences only the connections open now
 * (a NAT that dropped its flows: new connections work), `cut()` resets every connection, `refuse` closes new
 * ones at once. Bytes sent while frozen are dropped, so a frozen connection can only be thrown away.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #pairs = new Set<[Socket, Socket]>();
  /** Connections frozen by `freezeOpen()`: silent for good, while later connections carry bytes. */
  readonly #silenced = new WeakSet<[Socket, Socket]>();
  #frozen = false;
  /** When set, new connections are closed as soon as they arrive. */
  refuse = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.#accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

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
    client.on('data', (chunk) => {
      if (carries()) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (carries()) client.write(chunk);
    });
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

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
