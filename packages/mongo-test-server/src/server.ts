import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { ObjectId } from 'bson';
import type { Document } from 'bson';
import { cloneDocument } from './bson-values.js';
import type { ConnectionStats, ServerContext, TopologyInfo } from './commands/context.js';
import { CursorRegistry } from './commands/cursor-registry.js';
import { Dispatcher } from './commands/dispatch.js';
import { ClientConnection } from './connection.js';
import { FaultInjector } from './faults.js';
import type { CommandHook, FaultScope } from './faults.js';
import { SessionRegistry } from './sessions/session-registry.js';
import { TransactionManager } from './sessions/transaction-manager.js';
import { Storage } from './storage/storage.js';

/** Options of {@link MongoTestServer.start}. */
export interface MongoTestServerOptions {
  /** TCP port; 0 (default) picks a free ephemeral port. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /** Replica set name advertised in `hello`. Default `rs0`. */
  readonly replicaSetName?: string;
  /**
   * Present a standalone mongod instead of a replica-set primary: `hello` carries no replica-set
   * fields, and any command with a `txnNumber` (transactions, retryable writes) is refused with
   * IllegalOperation (code 20), as a real standalone does. Default false.
   */
  readonly standalone?: boolean;
  /** Idle transactions older than this are aborted. Default 60 000 ms. */
  readonly transactionLifetimeLimitMs?: number;
}

/**
 * An in-memory MongoDB look-alike speaking the wire protocol to the official driver. It presents
 * itself as the primary of a one-member replica set so sessions, transactions and retryable
 * writes work. Data lives in memory and survives {@link stop}/{@link restart}; {@link reset} clears it.
 *
 * @example
 * const server = await MongoTestServer.start();
 * const client = new MongoClient(server.url); // mongodb://127.0.0.1:PORT/?directConnection=true
 */
export class MongoTestServer {
  readonly #host: string;
  readonly #setName: string | undefined;
  readonly #storage = new Storage();
  readonly #sessions = new SessionRegistry();
  readonly #transactions: TransactionManager;
  readonly #cursors = new CursorRegistry();
  readonly #faults = new FaultInjector();
  readonly #dispatcher: Dispatcher;
  readonly #connections = new Set<ClientConnection>();
  readonly #electionId = new ObjectId('7fffffff0000000000000001');
  #listener: Server | undefined;
  #port: number;
  #processId = new ObjectId();
  #startedAt = new Date();
  #nextConnectionId = 1;
  #totalCreated = 0;
  #sweeper: NodeJS.Timeout | undefined;

  private constructor(options: MongoTestServerOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.#setName = options.standalone ? undefined : (options.replicaSetName ?? 'rs0');
    this.#transactions = new TransactionManager(this.#storage, options.transactionLifetimeLimitMs ?? 60_000);
    const context: ServerContext = {
      storage: this.#storage,
      transactions: this.#transactions,
      sessions: this.#sessions,
      cursors: this.#cursors,
      topology: () => this.#topology(),
      connectionStats: () => this.#stats(),
    };
    this.#dispatcher = new Dispatcher(context, this.#faults);
  }

  /** Starts a server and resolves once it accepts connections. */
  static async start(options: MongoTestServerOptions = {}): Promise<MongoTestServer> {
    const server = new MongoTestServer(options);
    await server.#listen();
    return server;
  }

  /** The port actually bound (stable across {@link restart}). */
  get port(): number {
    return this.#port;
  }

  get host(): string {
    return this.#host;
  }

  /** `mongodb://HOST:PORT/?directConnection=true` — the URL to hand to `MongoClient`. */
  get url(): string {
    return `mongodb://${this.#advertisedHost()}:${this.#port}/?directConnection=true`;
  }

  /**
   * `url` with `database` in its path (`mongodb://HOST:PORT/DATABASE?directConnection=true`): the URL a test
   * hands to `connect()`, which takes the database from the path.
   */
  databaseUrl(database: string): string {
    return `mongodb://${this.#advertisedHost()}:${this.#port}/${database}?directConnection=true`;
  }

  /** `mongodb://HOST:PORT/?replicaSet=rs0` — exercises the driver's replica-set discovery. */
  get replicaSetUrl(): string {
    if (this.#setName === undefined) throw new Error('a standalone server has no replica set URL');
    return `mongodb://${this.#advertisedHost()}:${this.#port}/?replicaSet=${this.#setName}`;
  }

  /** Number of open client connections (the driver's pool plus its monitoring sockets). */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** True when started with `standalone: true`. */
  get standalone(): boolean {
    return this.#setName === undefined;
  }

  /**
   * Number of logical sessions the server knows: each appears with the first command carrying its
   * `lsid` and disappears on `endSessions`/`killSessions` (the driver ends its pooled sessions on
   * `close()`), on {@link killSession}, and on restart or reset.
   */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Number of transactions currently open (serverStatus `transactions.currentOpen`). */
  get openTransactionCount(): number {
    return this.#transactions.openCount;
  }

  /**
   * Kills one logical session as if its client had lost the link to it: its transaction is aborted
   * and its cursors closed (like `killSessions`), the server forgets it, and every later command
   * carrying it is answered by closing the socket, so the client sees a network error. (A real
   * mongod would accept later commands; this models a broken connection for clients, such as
   * session-based pools, whose logical connection is a session rather than a socket.)
   *
   * @param id - the session's `lsid.id` UUID as 32 hex digits (dashes are ignored).
   */
  killSession(id: string): void {
    const key = id.replaceAll('-', '').toLowerCase();
    this.#transactions.endSession(key);
    this.#cursors.killSession(key);
    this.#sessions.kill(key);
  }

  /**
   * The committed documents of a collection, cloned, in natural order (empty when it does not exist).
   * Inspection without a client, so tests can read the data without opening sessions of their own.
   */
  documents(db: string, collection: string): Document[] {
    return (this.#storage.getCollection(db, collection)?.documents() ?? []).map(cloneDocument);
  }

  get isRunning(): boolean {
    return this.#listener !== undefined;
  }

  /** Destroys every client socket; the server keeps listening and accepts new connections. */
  async dropAllConnections(): Promise<void> {
    const connections = [...this.#connections];
    for (const connection of connections) connection.destroy();
    await Promise.all(connections.map((connection) => connection.closed));
  }

  /** Closes the listener and every socket. Data is kept in memory. */
  async stop(): Promise<void> {
    const listener = this.#listener;
    if (!listener) return;
    this.#listener = undefined;
    clearInterval(this.#sweeper);
    const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
    await this.dropAllConnections();
    await closed;
  }

  /** Stops, then listens again on the same port with the same data (like a mongod restart). */
  async restart(): Promise<void> {
    await this.stop();
    // A restarted mongod is a new process: new topologyVersion.processId, no cursors or open transactions.
    this.#processId = new ObjectId();
    this.#startedAt = new Date();
    this.#cursors.clear();
    this.#transactions.clear();
    this.#sessions.clear();
    await this.#listen();
  }

  /** Drops all databases, cursors, sessions (killed ones included) and transactions. */
  reset(): void {
    this.#sessions.clear();
    this.#transactions.clear();
    this.#cursors.clear();
    this.#storage.clear();
  }

  /**
   * Delays every command (default: all but the monitoring `hello`) by `ms`. A command carrying a
   * `maxTimeMS` lower than the delay is answered with MaxTimeMSExpired (code 50) after maxTimeMS.
   * `setCommandDelay(0)` turns it off.
   */
  setCommandDelay(ms: number, scope?: FaultScope): void {
    this.#faults.setDelay(ms, scope);
  }

  /** Makes commands (default: all but the monitoring `hello`) hang forever without a reply. */
  setBlackhole(enabled: boolean, scope?: FaultScope): void {
    this.#faults.setBlackhole(enabled, scope);
  }

  /** Installs a per-command fault hook (delay, blackhole, close the socket, or an error reply). */
  setCommandHook(hook: CommandHook | undefined): void {
    this.#faults.setHook(hook);
  }

  /** Removes the delay, blackhole and hook. */
  clearFaults(): void {
    this.#faults.clear();
  }

  /** Changes the idle-transaction limit at runtime. */
  setTransactionLifetimeLimit(ms: number): void {
    this.#transactions.lifetimeLimitMs = ms;
  }

  async #listen(): Promise<void> {
    const listener = createServer((socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen({ port: this.#port, host: this.#host, exclusive: true }, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    // Late listener errors (e.g. EMFILE while accepting) must not crash the test process.
    listener.on('error', () => {});
    const address = listener.address();
    if (address && typeof address === 'object') this.#port = address.port;
    this.#listener = listener;
    const period = Math.max(10, Math.min(1000, Math.floor(this.#transactions.lifetimeLimitMs / 2)));
    this.#sweeper = setInterval(() => this.#transactions.expireIdle(), period);
    this.#sweeper.unref();
  }

  #accept(socket: Socket): void {
    if (!this.#listener) {
      socket.destroy();
      return;
    }
    const connection = new ClientConnection(this.#nextConnectionId++, socket, this.#dispatcher);
    this.#connections.add(connection);
    this.#totalCreated++;
    void connection.closed.then(() => this.#connections.delete(connection));
  }

  #advertisedHost(): string {
    return this.#host === '0.0.0.0' || this.#host === '::' ? '127.0.0.1' : this.#host;
  }

  #topology(): TopologyInfo {
    return {
      setName: this.#setName,
      address: `${this.#advertisedHost()}:${this.#port}`,
      processId: this.#processId,
      electionId: this.#electionId,
      startedAt: this.#startedAt,
    };
  }

  #stats(): ConnectionStats {
    let active = 0;
    for (const connection of this.#connections) if (connection.active) active++;
    return { current: this.#connections.size, totalCreated: this.#totalCreated, active };
  }
}
