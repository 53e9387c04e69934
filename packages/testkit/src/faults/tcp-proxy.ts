import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP proxy in front of a database server, for an adapter's fault tests: point the adapter at
 * `proxy.port` and make network faults on demand. `freeze()` stops carrying bytes without closing anything
 * (a half-open connection, a partitioned network), `cut()` resets every connection, `refuse` closes new ones
 * at once. Bytes sent while frozen are dropped, so a frozen connection can only be thrown away.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #pairs = new Set<[Socket, Socket]>();
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
    client.on('data', (chunk) => {
      if (!this.#frozen) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!this.#frozen) client.write(chunk);
    });
  }

  /** Stops carrying bytes on every connection, old and new, without closing any: the peer goes silent. */
  freeze(): void {
    this.#frozen = true;
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
