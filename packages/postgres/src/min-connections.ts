import { asError } from '@berth/core';
import type { PgPoolClientLike, PgPoolLike } from './pg-like.js';

/** The first retry after a failed top-up, doubled on each failure up to `MAX_RETRY_MS`. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * Keeps at least `min` connections open in a pg pool. pg-pool's own `min` only stops its idle timeout from
 * closing connections below `min`; it never opens them, nor replaces one the server dropped or the lifetime
 * limit retired. This tops the pool up when it opens and after every removal, retrying with backoff while
 * the server is unreachable (each failure goes to `onError`).
 *
 * It opens connections through the pool's public `connect()`, holding each until `min` are open and then
 * releasing them all as idle. It never asks beyond `min <= max`, so it cannot make pg queue a caller for
 * longer than one connection takes to open.
 */
export class MinConnections {
  readonly #pool: PgPoolLike;
  readonly #min: number;
  readonly #onError: (error: Error) => void;
  readonly #held = new Set<PgPoolClientLike>();
  #filling: Promise<void> | undefined;
  #retryMs = FIRST_RETRY_MS;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(pool: PgPoolLike, min: number, onError: (error: Error) => void) {
    this.#pool = pool;
    this.#min = min;
    this.#onError = onError;
  }

  get #short(): boolean {
    return !this.#stopped && !this.#pool.ending && this.#pool.totalCount < this.#min;
  }

  /** Opens connections until `min` are open (or one fails). Never rejects; resolves when done. */
  fill(): Promise<void> {
    if (!this.#short) return Promise.resolve();
    this.#filling ??= this.#fill().finally(() => {
      this.#filling = undefined;
    });
    return this.#filling;
  }

  /** True while this holds `client` checked out: its errors are nobody's operation's. */
  holds(client: PgPoolClientLike): boolean {
    return this.#held.has(client);
  }

  async #fill(): Promise<void> {
    try {
      while (this.#short) this.#held.add(await this.#pool.connect());
      this.#retryMs = FIRST_RETRY_MS;
    } catch (error) {
      if (this.#stopped) return;
      this.#onError(asError(error));
      this.#retryLater();
    } finally {
      // pg-pool destroys any that failed meanwhile instead of keeping it.
      for (const client of this.#held) client.release();
      this.#held.clear();
    }
  }

  /** Tops up soon: called when the pool lost a connection. */
  schedule(): void {
    if (this.#min === 0 || this.#timer || this.#stopped) return;
    // After the removal settles, so a failing server is not hammered from inside pg's event handlers.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A top-up under way may already have passed its last check: go again once it ends.
      void (this.#filling ?? Promise.resolve()).then(() => this.fill());
    }, 0);
    this.#timer.unref();
  }

  #retryLater(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.fill();
    }, this.#retryMs);
    this.#timer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
  }

  /** Stops topping up, for `close()`. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
