import type { Lease } from '@berth/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  closeTestDatabases,
  eventually,
  expectAtRest,
  openTestDatabase,
  terminateBackend,
} from '../support/test-database.js';

afterEach(closeTestDatabases);

describe.skipIf(!inject('postgresAvailable'))('min connections', () => {
  it('are open once the database is, and idle ones beyond min close after idleTimeoutMs', async () => {
    const handle = await openTestDatabase({ label: 'min', driver: { max: 4, min: 2, idleTimeoutMs: 150 } });
    expect(await handle.serverConnections()).toBe(2);
    expect(handle.db.pool.stats()).toMatchObject({ total: 2, idle: 2 });

    const leases: Lease[] = await Promise.all(Array.from({ length: 4 }, () => handle.db.pool.acquire()));
    expect(handle.db.pool.stats()).toMatchObject({ total: 4, inUse: 4 });
    for (const lease of leases) await handle.db.pool.release(lease);

    await eventually(() => expect(handle.db.pool.stats().total).toBe(2));
    // Well past the idle timeout, the pool stays at min.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expectAtRest(handle, { total: 2, idle: 2 });
  });

  it('are replaced when the server ends them, without waiting for a request', async () => {
    const handle = await openTestDatabase({ label: 'min-refill', driver: { max: 3, min: 2 } });
    const before = await handle.serverPids();
    expect(before).toHaveLength(2);
    await Promise.all(before.map(terminateBackend));
    await eventually(async () => {
      const now = await handle.serverPids();
      expect(now).toHaveLength(2);
      expect(now.some((pid) => before.includes(pid))).toBe(false);
    });
    expect(handle.errors).toHaveLength(2);
    await expectAtRest(handle, { total: 2, idle: 2 });
  });

  it('are renewed when they reach maxLifetimeMs', async () => {
    const destroyed: string[] = [];
    const handle = await openTestDatabase({
      label: 'min-life',
      driver: { max: 2, min: 1, maxLifetimeMs: 1_000 },
    });
    handle.db.pool.on('destroy', (event) => destroyed.push(event.reason));
    const [first] = await handle.serverPids();
    await eventually(async () => {
      const now = await handle.serverPids();
      expect(now).toHaveLength(1);
      expect(now[0]).not.toBe(first);
    }, 3_000);
    expect(destroyed).toEqual(['lifetime']);
    await expectAtRest(handle, { total: 1 });
  });
});
