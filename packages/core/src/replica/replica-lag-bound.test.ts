import { describe, expect, it } from 'vitest';
import { Database } from '../database.js';
import type { Driver } from '../driver/driver.js';
import type { ReplicationSupport } from '../driver/replication-support.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import { ValidationError } from '../errors/validation-error.js';

/** A driver never opened: these cases stop at the options, before any pool opens. */
function unopened(replication?: ReplicationSupport): Driver & { opened: number } {
  const driver = {
    opened: 0,
    backend: 'postgres' as const,
    capabilities: { multipleConnections: true, transactions: true, savepoints: true, returning: true },
    max: 1,
    replication,
    open: () => {
      driver.opened += 1;
      return Promise.resolve();
    },
    acquire: () => Promise.reject(new Error('not used')),
    release: () => Promise.resolve(),
    nativeStats: () => ({ total: 0, idle: 0 }),
    close: () => Promise.resolve(),
  };
  return driver;
}

const positionsOnly: ReplicationSupport = {
  primaryPosition: async () => '0',
  replayedPosition: async () => '0',
  compare: (a, b) => Number(a) - Number(b),
  parse: (p) => p,
};

describe('maxReplicaLagMs', () => {
  it.each([0, -1, Number.NaN, 2 ** 31, '100'])('refuses %s with ValidationError', async (value) => {
    const primary = unopened({ ...positionsOnly, replicaLagMs: async () => 0 });
    await expect(
      Database.open(primary, {
        replicas: [{ driver: unopened(), name: 'r' }],
        maxReplicaLagMs: value as never,
      }),
    ).rejects.toThrow(ValidationError);
    expect(primary.opened).toBe(0);
  });

  it("is refused with UnsupportedFeatureError where the driver cannot measure a replica's lag", async () => {
    const primary = unopened(positionsOnly);
    const error = await Database.open(primary, {
      replicas: [{ driver: unopened(), name: 'r' }],
      maxReplicaLagMs: 1_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error).toMatchObject({ feature: 'read-replicas', message: expect.stringMatching(/lag bound/) });
    expect(primary.opened).toBe(0);
  });
});
