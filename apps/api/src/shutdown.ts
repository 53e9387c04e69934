import type { FastifyBaseLogger } from 'fastify';

/** The contract's bound on a graceful shutdown; the hard limit fires a little before it. */
export const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * SIGTERM and SIGINT handling: closes what has been opened so far, newest first (the HTTP server, which
 * stops accepting, serves the requests in flight and those already on their way on open keep-alive sockets
 * (`closeGracefully` in src/app.ts), then the pool), and exits 0. A signal during start-up
 * closes whatever is already open. A second signal is ignored; a shutdown still running near the 10 s
 * limit exits 1 rather than hang.
 */
export class Shutdown {
  readonly #steps: Array<() => Promise<unknown>> = [];
  #stopping = false;

  constructor(readonly logger: FastifyBaseLogger) {
    process.on('SIGTERM', () => void this.#run('SIGTERM'));
    process.on('SIGINT', () => void this.#run('SIGINT'));
  }

  /** True once a signal has arrived: start-up should not go on. */
  get stopping(): boolean {
    return this.#stopping;
  }

  /** Registers a closing step; steps run in reverse order of registration. */
  add(step: () => Promise<unknown>): void {
    this.#steps.push(step);
  }

  async #run(signal: NodeJS.Signals): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.logger.info({ signal }, 'shutting down: no new connections, answering requests in flight');
    setTimeout(() => {
      this.logger.error('shutdown did not finish within 10 s; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS - 500).unref();
    try {
      for (const step of [...this.#steps].reverse()) await step();
      this.logger.info('stopped');
      process.exit(0);
    } catch (error) {
      this.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  }
}
