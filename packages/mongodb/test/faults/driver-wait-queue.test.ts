import { PoolTimeoutError, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';
import { TEST_DATABASE } from '../support/test-server.js';

const Parcel = defineEntity('wait_queue_parcels', { id: field.id(), label: field.string() });
const ACQUIRE_TIMEOUT_MS = 300;
/** How long the test server delays the find that holds the socket: past the four commands' timeouts. */
const HOLD_MS = 6_000;

const faults = useFaultServer();

/**
 * A berth connection is a session; the socket a command runs on is checked out of the driver's pool when the
 * command starts, waiting at most `waitQueueTimeoutMS` (the acquire deadline). With every socket busy or still
 * connecting (a network gone dark: new sockets hang in their handshake), a command on an idle session waits
 * there. It was sent nowhere, so every kind of command must fail as a pool timeout (the app's 503). An insert
 * used to fail as a DatabaseError (a 500): `insertMany` wraps the driver's wait-queue error in a bulk-write
 * error, which the mapping did not look into (the blackhole scenario of the reliability suite, on MongoDB).
 */
describe("a command that finds no free socket in the driver's pool", () => {
  it('fails with PoolTimeoutError, inserts and other writes too; nothing is written and the connection stays usable', async () => {
    const { db, driver } = await faults.open([Parcel], { max: 1, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS });
    const repo = db.repository(Parcel);
    const kept = await repo.insert({ label: 'kept' });
    // Hold the driver's one socket from outside berth's pool (the escape hatch shares the driver's pool): a
    // find the test server answers late.
    let holder: Promise<unknown> = Promise.resolve();
    faults.server.setCommandDelay(HOLD_MS, { commands: ['find'] });
    try {
      holder = driver.client.db(TEST_DATABASE).collection('elsewhere').find({}).toArray();
      await expect.poll(() => driver.physicalStats().checkedOut, { timeout: 5_000 }).toBe(1);

      for (const [name, work] of [
        ['insert', () => repo.insert({ label: 'never' })],
        ['update', () => repo.update(kept.id, { label: 'never' })],
        ['delete', () => repo.delete(kept.id)],
        ['count', () => repo.count()],
      ] as const) {
        const error = await work().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, name).toBeInstanceOf(PoolTimeoutError);
        expect((error as PoolTimeoutError).message, name).toContain('the MongoDB driver had no free socket');
      }
      expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    } finally {
      faults.server.clearFaults();
    }
    await holder.catch(() => undefined);
    // Nothing was sent: the row is as it was, and the same (unbroken) connection serves the next command.
    expect(await repo.count()).toBe(1);
    expect(await repo.findById(kept.id)).toMatchObject({ label: 'kept' });
    expect(db.pool.stats()).toMatchObject({ total: 1 });
  }, 30_000);
});
