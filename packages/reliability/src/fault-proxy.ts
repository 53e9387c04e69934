import { once } from 'node:events';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

/**
 * What the proxy does with traffic:
 *
 * - `pass`: forward both ways (with the configured latency).
 * - `reset`: reset (RST) every open connection now and every new one as soon as it is accepted.
 * - `blackhole`: forward nothing, keep every socket open. Bytes and closes are held, as a network
 *   partition holds them in retransmission queues, and delivered in order when the proxy heals.
 *   Connections accepted meanwhile reach the server only after healing.
 * - `refuse`: stop listening, so a new connection is refused (ECONNREFUSED); open ones keep working.
 * - `hang`: accept new connections but never connect them upstream nor answer: the handshake never
 *   completes. Open connections keep working.
 */
export type FaultMode = 'pass' | 'reset' | 'blackhole' | 'refuse' | 'hang';

/** Which direction latency delays: `downstream` is server to client, as with toxiproxy's latency toxic. */
export type LatencyDirection = 'downstream' | 'upstream' | 'both';

/** One client connection through the proxy, for tests that measure how the client treats it. */
export interface LinkRecord {
  readonly id: number;
  /** `performance.now()` when the proxy accepted it. */
  readonly acceptedAt: number;
  /** When the client side closed or errored, if it has. */
  clientClosedAt: number | undefined;
  /** When the server side closed or errored, if it has. */
  serverClosedAt: number | undefined;
  /** Whether the proxy ever forwarded bytes from the server to the client. */
  answered: boolean;
  /** The mode it was accepted in. */
  readonly acceptedIn: FaultMode;
}

export interface FaultProxyOptions {
  /** Where the database listens. */
  target: { host: string; port: number };
  /** Where the proxy listens (default an ephemeral port on 127.0.0.1). */
  port?: number;
  host?: string;
}

/** A close held by a blackhole: the peer went away abruptly. */
const DESTROY = Symbol('destroy');
type Held = Buffer | null | typeof DESTROY;

interface Link {
  record: LinkRecord;
  client: Socket;
  server: Socket | undefined;
  /** Chunks, `null` for an end or `DESTROY` for an abrupt close, held while blackholed, per direction. */
  heldUp: Held[];
  heldDown: Held[];
  /** The time before which nothing may be delivered, per direction, so latency keeps order. */
  upNotBefore: number;
  downNotBefore: number;
  /** Set by `dropNextReply`: the server's next reply on this link is swallowed and the link reset. */
  dropReply?: () => void;
  /** Silenced by `silenceOpen()`: bytes are dropped both ways, for good. */
  silenced?: boolean;
}

/**
 * A TCP fault proxy for the reliability suite: sits between the app and a database and can pass, reset,
 * blackhole, add latency, refuse and hang handshakes, switching at any moment. It records every
 * connection so a scenario can measure what the client did (for example how long it waited on a
 * handshake that never completed before it gave up).
 */
export class FaultProxy {
  readonly #options: FaultProxyOptions;
  #server: Server;
  #port = 0;
  #mode: FaultMode = 'pass';
  #latencyMs = 0;
  #latencyDirection: LatencyDirection = 'downstream';
  #nextId = 1;
  readonly #links = new Set<Link>();
  readonly records: LinkRecord[] = [];
  #listening = false;
  #dropArmed: { pattern: RegExp; fired: () => void } | undefined;

  private constructor(options: FaultProxyOptions) {
    this.#options = options;
    this.#server = this.#createServer();
  }

  /** Starts a proxy in `pass` mode. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await proxy.#listen(options.port ?? 0);
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  get host(): string {
    return this.#options.host ?? '127.0.0.1';
  }

  get mode(): FaultMode {
    return this.#mode;
  }

  /** Client connections open through the proxy now. */
  get openConnections(): number {
    return this.#links.size;
  }

  /** Client connections accepted so far. */
  get acceptedConnections(): number {
    return this.records.length;
  }

  #createServer(): Server {
    const server = createServer({ noDelay: true }, (client) => this.#accept(client));
    server.on('error', () => undefined);
    return server;
  }

  async #listen(port: number): Promise<void> {
    this.#server.listen(port, this.host);
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#listening = true;
  }

  async #stopListening(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    const server = this.#server;
    // close() waits for open connections; the listening socket itself is gone at once.
    server.close();
    this.#server = this.#createServer();
  }

  /** Switches mode. Resolves once the change is in effect (the listener closed or open again). */
  async setMode(mode: FaultMode): Promise<void> {
    const previous = this.#mode;
    this.#mode = mode;
    if (mode === 'refuse') {
      await this.#stopListening();
    } else if (!this.#listening) {
      await this.#listen(this.#port);
    }
    if (mode === 'reset') {
      for (const link of [...this.#links]) this.#reset(link);
    }
    if (previous === 'blackhole' && mode !== 'blackhole') {
      for (const link of [...this.#links]) this.#release(link);
    }
  }

  /** Back to `pass` with no latency. Held traffic is delivered. */
  async heal(): Promise<void> {
    this.#latencyMs = 0;
    await this.setMode('pass');
  }

  /** Delays every chunk by `ms` in `direction` (default downstream), keeping order. 0 removes it. */
  setLatency(ms: number, direction: LatencyDirection = 'downstream'): void {
    this.#latencyMs = ms;
    this.#latencyDirection = direction;
  }

  /**
   * A one-shot fault: the next chunk the app sends that matches `pattern` (its bytes read as latin1, so
   * SQL text or a BSON command name inside a protocol frame matches) is forwarded; the server's reply to
   * it is then swallowed and the connection reset on both sides. The server acted; the app never hears of
   * it (a COMMIT whose reply is lost). Resolves once the reply has been dropped.
   */
  dropNextReply(pattern: RegExp): Promise<void> {
    return new Promise((resolve) => {
      this.#dropArmed = { pattern, fired: resolve };
    });
  }

  /** Resets (RST) every open connection once, without changing mode. Returns how many. */
  resetAll(): number {
    const links = [...this.#links];
    for (const link of links) this.#reset(link);
    return links.length;
  }

  /** Stops listening and resets everything. */
  /**
   * Silences every connection open now, for good, while new connections pass: what a NAT or firewall that
   * dropped its flows, or a failover behind a virtual IP, does to a pool's idle connections. No FIN, no
   * RST: bytes are dropped both ways and the peers just stop answering. Returns how many were silenced.
   */
  silenceOpen(): number {
    for (const link of this.#links) link.silenced = true;
    return this.#links.size;
  }

  async close(): Promise<void> {
    for (const link of [...this.#links]) this.#reset(link);
    if (this.#listening) {
      this.#listening = false;
      const closed = once(this.#server, 'close');
      this.#server.close();
      await closed;
    }
  }

  #accept(client: Socket): void {
    const record: LinkRecord = {
      id: this.#nextId++,
      acceptedAt: performance.now(),
      clientClosedAt: undefined,
      serverClosedAt: undefined,
      answered: false,
      acceptedIn: this.#mode,
    };
    this.records.push(record);
    const link: Link = {
      record,
      client,
      server: undefined,
      heldUp: [],
      heldDown: [],
      upNotBefore: 0,
      downNotBefore: 0,
    };
    this.#links.add(link);
    client.setNoDelay(true);
    client.on('error', () => undefined);
    client.on('close', () => {
      record.clientClosedAt ??= performance.now();
      // Behind a blackhole the server learns of the close only once the network heals.
      if (this.#mode === 'blackhole' && link.server) link.heldUp.push(DESTROY);
      else {
        this.#links.delete(link);
        if (link.server && !link.server.destroyed) link.server.destroy();
      }
    });
    if (this.#mode === 'reset') {
      this.#reset(link);
      return;
    }
    client.on('data', (chunk: Buffer) => this.#forward(link, 'up', chunk));
    client.on('end', () => this.#forward(link, 'up', null));
    if (this.#mode === 'hang') return; // never connected upstream: the handshake never completes
    if (this.#mode !== 'blackhole') this.#connectUpstream(link);
  }

  #connectUpstream(link: Link): void {
    if (link.server || link.client.destroyed) return;
    const server = connect({ ...this.#options.target, noDelay: true });
    link.server = server;
    server.on('error', () => undefined);
    server.on('data', (chunk: Buffer) => this.#forward(link, 'down', chunk));
    server.on('end', () => this.#forward(link, 'down', null));
    // A clean close was forwarded as an end; an abrupt one is passed on as a reset.
    server.on('close', (hadError) => {
      if (hadError) this.#forward(link, 'down', DESTROY);
      else link.record.serverClosedAt ??= performance.now();
    });
  }

  #delayFor(direction: 'up' | 'down'): number {
    if (this.#latencyMs <= 0) return 0;
    const d = this.#latencyDirection;
    if (
      d === 'both' ||
      (d === 'downstream' && direction === 'down') ||
      (d === 'upstream' && direction === 'up')
    ) {
      return this.#latencyMs;
    }
    return 0;
  }

  #forward(link: Link, direction: 'up' | 'down', chunk: Held): void {
    if (link.silenced && chunk !== DESTROY) return;
    const armed = this.#dropArmed;
    if (
      direction === 'up' &&
      armed &&
      Buffer.isBuffer(chunk) &&
      armed.pattern.test(chunk.toString('latin1'))
    ) {
      this.#dropArmed = undefined;
      link.dropReply = armed.fired;
    }
    if (direction === 'down' && link.dropReply && Buffer.isBuffer(chunk)) {
      const fired = link.dropReply;
      link.dropReply = undefined;
      this.#reset(link);
      fired();
      return;
    }
    if (chunk === DESTROY && direction === 'down') link.record.serverClosedAt ??= performance.now();
    if (this.#mode === 'blackhole' || (direction === 'up' && !link.server)) {
      (direction === 'up' ? link.heldUp : link.heldDown).push(chunk);
      return;
    }
    const delay = this.#delayFor(direction);
    const now = performance.now();
    const key = direction === 'up' ? 'upNotBefore' : 'downNotBefore';
    const at = Math.max(now + delay, link[key]);
    link[key] = at;
    if (at <= now) {
      this.#deliver(link, direction, chunk);
    } else {
      setTimeout(() => this.#deliver(link, direction, chunk), at - now);
    }
  }

  #deliver(link: Link, direction: 'up' | 'down', chunk: Held): void {
    const to = direction === 'up' ? link.server : link.client;
    if (chunk === DESTROY) {
      if (direction === 'up') this.#links.delete(link);
      // The server going away is passed on as a reset once any bytes before it are delivered.
      if (to && !to.destroyed) direction === 'down' ? to.resetAndDestroy() : to.destroy();
      return;
    }
    if (!to || to.destroyed) return;
    if (direction === 'down' && chunk) link.record.answered = true;
    if (chunk === null) to.end();
    else to.write(chunk);
  }

  /** Delivers what a blackhole held, connecting upstream first where that never happened. */
  #release(link: Link): void {
    if (!link.server && (this.#mode === 'hang' || link.record.acceptedIn === 'hang')) return;
    if (!link.server && link.client.destroyed) {
      this.#links.delete(link);
      return;
    }
    if (!link.server) this.#connectUpstream(link);
    const up = link.heldUp.splice(0);
    const down = link.heldDown.splice(0);
    for (const chunk of up) this.#forward(link, 'up', chunk);
    for (const chunk of down) this.#forward(link, 'down', chunk);
  }

  #reset(link: Link): void {
    this.#links.delete(link);
    const now = performance.now();
    link.record.clientClosedAt ??= now;
    link.record.serverClosedAt ??= now;
    if (!link.client.destroyed) link.client.resetAndDestroy();
    if (link.server && !link.server.destroyed) link.server.resetAndDestroy();
  }
}
