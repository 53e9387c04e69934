import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { MinConnections } from './min-connections.js';
import type { PgPoolClientLike, PgPoolLike } from './pg-like.js';

/** A pg pool stand-in that counts clients and can be told to fail connects. */
class FakePool extends EventEmitter {
  clients = new Set<object>();
  idle: object[] = [];
  failures = 0;
  connects = 0;
  ending = false;

  get totalCount(): number {
    return this.clients.size;
  }
  get idleCount(): number {
    return this.idle.length;
  }
  get waitingCount(): number {
    return 0;
  }

  async connect(): Promise<PgPoolClientLike> {
    this.connects++;
    const reused = this.idle.pop();
    if (reused) return this.#lease(reused);
    if (this.failures > 0) {
      this.failures--;
      throw new Error('connect ECONNREFUSED');
    }
    const client = {};
    this.clients.add(client);
    return this.#lease(client);
  }

  #lease(client: object): PgPoolClientLike {
    return { release: () => this.idle.push(client) } as unknown as PgPoolClientLike;
  }

  drop(): void {
    const client = this.idle.pop();
    if (client) this.clients.delete(client);
  }

  async end(): Promise<void> {}
}

const asPool = (pool: FakePool) => pool as unknown as PgPoolLike;

describe('MinConnections', () => {
  it('opens connections up to min and leaves them idle', async () => {
    const pool = new FakePool();
    await new MinConnections(asPool(pool), 3, () => undefined).fill();
    expect(pool.totalCount).toBe(3);
    expect(pool.idleCount).toBe(3);
  });

  it('tops up after a loss, holding idle ones so the pool grows', async () => {
    const pool = new FakePool();
    const keeper = new MinConnections(asPool(pool), 2, () => undefined);
    await keeper.fill();
    pool.drop();
    expect(pool.totalCount).toBe(1);
    await keeper.fill();
    expect(pool.totalCount).toBe(2);
    expect(pool.idleCount).toBe(2);
  });

  it('reports failures and retries with backoff until the server answers', async () => {
    vi.useFakeTimers();
    try {
      const pool = new FakePool();
      pool.failures = 3;
      const errors: Error[] = [];
      const keeper = new MinConnections(asPool(pool), 1, (e) => errors.push(e));
      await keeper.fill();
      expect(errors).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(errors).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(199);
      expect(errors).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(errors).toHaveLength(3);
      await vi.advanceTimersByTimeAsync(400);
      expect(pool.totalCount).toBe(1);
      keeper.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('does nothing with min 0 or once stopped', async () => {
    const pool = new FakePool();
    await new MinConnections(asPool(pool), 0, () => undefined).fill();
    const stopped = new MinConnections(asPool(pool), 2, () => undefined);
    stopped.stop();
    stopped.schedule();
    await stopped.fill();
    expect(pool.connects).toBe(0);
  });
});
