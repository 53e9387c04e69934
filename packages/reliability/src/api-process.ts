import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
// The faults entry, not the package's main one: that imports vitest, which refuses to load outside a run.
import { freePort } from '@berth/testkit/faults';
import { HttpClient } from './http.js';

/** apps/api, whose `src/main.ts` the suite runs. */
export const API_DIR = fileURLToPath(new URL('../../../apps/api/', import.meta.url));
const ADAPTER_HOOK = fileURLToPath(new URL('./hooks/register-adapters.mjs', import.meta.url));

/** The app's configuration, by the contract's environment variables. */
export interface ApiConfig {
  readonly databaseUrl: string;
  readonly poolMax: number;
  readonly acquireTimeoutMs: number;
  readonly statementTimeoutMs: number;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `performance.now()` when the process exited. */
  readonly at: number;
}

/**
 * apps/api as a child process, run from its sources (`node --import tsx --conditions=@berth/source
 * src/main.ts`) with the contract's environment, so faults hit the real stack: HTTP, berth, the adapter,
 * the driver and the network.
 */
export class ApiProcess {
  readonly child: ChildProcess;
  readonly http: HttpClient;
  readonly exited: Promise<Exit>;
  #exit: Exit | undefined;
  output = '';

  private constructor(
    readonly config: ApiConfig,
    readonly port: number,
  ) {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', ADAPTER_HOOK, '--conditions=@berth/source', 'src/main.ts'],
      {
        cwd: API_DIR,
        env: {
          ...process.env,
          DATABASE_URL: config.databaseUrl,
          PORT: String(port),
          HOST: '127.0.0.1',
          DB_POOL_MAX: String(config.poolMax),
          DB_ACQUIRE_TIMEOUT_MS: String(config.acquireTimeoutMs),
          DB_STATEMENT_TIMEOUT_MS: String(config.statementTimeoutMs),
          // The app's log level (default error: what lies behind a 500); warn adds every 503's cause.
          LOG_LEVEL: process.env.RELIABILITY_API_LOG_LEVEL ?? 'error',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const keep = (chunk: Buffer) => {
      // Keep the tail only: a long run under faults may log a lot.
      this.output = (this.output + chunk.toString()).slice(-64 * 1024);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = once(this.child, 'exit').then(([code, signal]) => {
      this.#exit = { code, signal, at: performance.now() };
      return this.#exit;
    });
    this.http = new HttpClient(`http://127.0.0.1:${port}`);
  }

  /** Starts the app and waits until `/health` answers 200 (at most `limitMs`). */
  static async start(config: ApiConfig, limitMs = 60_000): Promise<ApiProcess> {
    const api = new ApiProcess(config, await freePort());
    try {
      await api.ready(limitMs);
    } catch (error) {
      api.kill();
      throw error;
    }
    return api;
  }

  /**
   * The errors the app logged (level error and above) in the output kept so far, each once, as `type:
   * message (caused by: first line of the cause)`: what lies behind a 500, for the report.
   */
  loggedErrors(): string[] {
    const found = new Set<string>();
    for (const line of this.output.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as {
          level?: number;
          err?: { type?: string; message?: string; stack?: string };
        };
        if ((entry.level ?? 0) < 50 || !entry.err) continue;
        const cause = entry.err.stack?.split('caused by: ')[1]?.split('\n')[0];
        found.add(
          `${entry.err.type ?? 'Error'}: ${entry.err.message ?? ''}${cause ? ` (caused by ${cause})` : ''}`,
        );
      } catch {
        // a partial line at the start of the kept tail
      }
    }
    return [...found];
  }

  /** The exit, if the process has exited. */
  get exit(): Exit | undefined {
    return this.#exit;
  }

  async ready(limitMs: number): Promise<void> {
    const deadline = performance.now() + limitMs;
    while (performance.now() < deadline) {
      if (this.#exit)
        throw new Error(`the app exited (${this.#exit.code}) before it was ready:\n${this.output}`);
      try {
        const reply = await this.http.request('GET', '/health', { timeoutMs: 2_000 });
        if (reply.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the app was not ready within ${limitMs} ms:\n${this.output}`);
  }

  /** The pool as `/health` reports it, or undefined when it does not answer 200. */
  async pool(): Promise<
    { max: number; total: number; idle: number; inUse: number; waiting: number } | undefined
  > {
    const reply = await this.http.request('GET', '/health', { timeoutMs: 5_000 }).catch(() => undefined);
    const body = reply?.json as {
      pool?: { max: number; total: number; idle: number; inUse: number; waiting: number };
    };
    return reply?.status === 200 ? body.pool : undefined;
  }

  /** Sends a signal; resolves with the exit, killing the process after `limitMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', limitMs = 15_000): Promise<Exit> {
    if (this.#exit) return this.#exit;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), limitMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
      this.http.close();
    }
  }

  kill(): void {
    if (!this.#exit) this.child.kill('SIGKILL');
    this.http.close();
  }
}
