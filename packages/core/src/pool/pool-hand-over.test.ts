import { describe, expect, it } from 'vitest';
import type { Driver } from '../driver/driver.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import { Pool } from './pool.js';

/**
 * The pool's hand-over (`Driver.handOver`) is pool logic, not a backend's: a driver of plain objects that
 * counts its checkouts and returns shows which way a connection went. The conformance suite's pool cases
 * run the same path on every backend.
 */
function countingDriver(max: number, agree: (connection: DriverConnection) => boolean) {
  const idle: DriverConnection[] = Array.from(
    { length: max },
    (_, i) => ({ id: `c${i}`, broken: false }) as unknown as DriverConnection,
  );
  const counts = { acquire: 0, release: 0, asked: 0 };
  const driver: Driver = {
    backend: 'postgres',
    capabilities: { multipleConnections: true, transactions: true, savepoints: true, returning: true },
    max,
    open: () => Promise.resolve(),
    acquire: () => {
      counts.acquire++;
      const connection = idle.pop();
      return connection ? Promise.resolve(connection) : Promise.reject(new Error('more than max'));
    },
    release: (connection) => {
      counts.release++;
      idle.push(connection);
      return Promise.resolve();
    },
    handOver: (connection) => {
      counts.asked++;
      return agree(connection);
    },
    nativeStats: () => ({ total: max, idle: idle.length }),
    close: () => Promise.resolve(),
  };
  return { driver, counts };
}

/** An acquire made from a function whose name the lease's captured stack must carry. */
function acquireFromTheWaiter(pool: Pool) {
  return pool.acquire();
}

describe('Pool hands a clean connection straight to the oldest waiter', () => {
  it('without a round through the driver, first come first served, answered in the same step', async () => {
    const { driver, counts } = countingDriver(1, () => true);
    const pool = new Pool(driver, { acquireTimeoutMs: 5_000 });
    await pool.open();
    const events: string[] = [];
    pool.on('acquire', (e) => events.push(`acquire ${e.connectionId}`));
    pool.on('release', (e) => events.push(`release ${e.connectionId} destroyed=${e.destroyed}`));
    let lease = await pool.acquire();
    const order: number[] = [];
    const waiters = [0, 1, 2].map((i) =>
      pool.acquire().then((l) => {
        order.push(i);
        return l;
      }),
    );
    expect(pool.stats()).toMatchObject({ inUse: 1, waiting: 3 });
    for (let i = 0; i < 3; i++) {
      const released = pool.release(lease);
      // Handed over in the release itself: the waiter holds it before anyone else can take a step.
      expect(pool.stats()).toMatchObject({ inUse: 1, waiting: 2 - i });
      await released;
      lease = await waiters[i]!;
      expect(lease.connection.id).toBe('c0');
    }
    await pool.release(lease);
    expect(order).toEqual([0, 1, 2]);
    // One checkout and one return in all, though four callers used the connection.
    expect(counts).toEqual({ acquire: 1, release: 1, asked: 3 });
    expect(pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(events).toEqual([
      'acquire c0',
      ...Array.from({ length: 3 }, () => ['release c0 destroyed=false', 'acquire c0']).flat(),
      'release c0 destroyed=false',
    ]);
    await pool.close();
  });

  it('a handed-over lease carries its waiter’s stack for leak reports, not the releaser’s', async () => {
    const { driver } = countingDriver(1, () => true);
    const pool = new Pool(driver, { acquireTimeoutMs: 5_000, leakStackCapture: 'always' });
    await pool.open();
    const held = await pool.acquire();
    const waiting = acquireFromTheWaiter(pool);
    await pool.release(held);
    const lease = await waiting;
    expect(lease.origin?.stack).toContain('acquireFromTheWaiter');
    expect(lease.acquiredAt).toBeGreaterThanOrEqual(held.acquiredAt);
    await pool.release(lease);
    await pool.close();
  });

  it('goes back through the driver when the driver refuses (a connection past its lifetime) or has no handOver', async () => {
    const { driver, counts } = countingDriver(1, () => false);
    const pool = new Pool(driver, { acquireTimeoutMs: 5_000 });
    await pool.open();
    const held = await pool.acquire();
    const waiting = pool.acquire();
    await pool.release(held);
    await pool.release(await waiting);
    expect(counts).toEqual({ acquire: 2, release: 2, asked: 1 });

    const { handOver: _, ...without } = countingDriver(1, () => true).driver;
    const plain = new Pool(without as Driver, { acquireTimeoutMs: 5_000 });
    await plain.open();
    const first = await plain.acquire();
    const next = plain.acquire();
    await plain.release(first);
    await plain.release(await next);
    expect(plain.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    await Promise.all([pool.close(), plain.close()]);
  });

  it('never hands over a connection given back to be destroyed', async () => {
    const { driver, counts } = countingDriver(1, () => true);
    const pool = new Pool(driver, { acquireTimeoutMs: 5_000 });
    await pool.open();
    const held = await pool.acquire();
    const waiting = pool.acquire();
    await pool.release(held, true);
    const next = await waiting;
    expect(counts.asked).toBe(0);
    expect(counts.release).toBe(1);
    await pool.release(next);
    await pool.close();
  });
});
