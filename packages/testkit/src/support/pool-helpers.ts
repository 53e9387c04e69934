import type { Database, Lease, PoolEventName, PoolEvents } from '@berth/core';

/** Checks out every connection the pool allows, so the next caller has to wait. */
export async function holdAll(db: Database): Promise<Lease[]> {
  const leases: Lease[] = [];
  for (let i = 0; i < db.pool.stats().max; i++) leases.push(await db.pool.acquire());
  return leases;
}

export async function releaseAll(db: Database, leases: Lease[]): Promise<void> {
  for (const lease of leases.splice(0)) await db.pool.release(lease);
}

export type PoolEventRecord = { [K in PoolEventName]: { name: K } & PoolEvents[K] }[PoolEventName];

/** Records every pool event, in order, from now on. */
export function recordEvents(db: Database): PoolEventRecord[] {
  const log: PoolEventRecord[] = [];
  const names: PoolEventName[] = ['acquire', 'release', 'create', 'destroy', 'timeout', 'leak', 'error'];
  for (const name of names) {
    db.pool.on(name, (event) => {
      log.push({ name, ...event } as PoolEventRecord);
    });
  }
  return log;
}

/** Runs `work` and reports how it ended and how long it took. */
export async function timed(work: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now();
  try {
    await work();
    return { error: undefined, elapsedMs: performance.now() - started };
  } catch (error) {
    return { error, elapsedMs: performance.now() - started };
  }
}
