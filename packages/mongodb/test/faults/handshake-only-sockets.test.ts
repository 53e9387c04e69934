import { PoolTimeoutError, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';
import { TEST_DATABASE } from '../support/test-server.js';

const Parcel = defineEntity('handshake_only_parcels', { id: field.id(), label: field.string() });
const ACQUIRE_TIMEOUT_MS = 300;

const faults = useFaultServer();

/**
 * On a network gone dark the driver's established sockets fail one by one, and the sockets it opens instead
 * never finish their handshake. A session handed out then would run its command into the driver's wait for
 * a socket, under the statement bound rather than the acquire deadline; and when the driver's monitor times
 * out and clears the pool, the driver retries that command after selecting the server anew, which waits for
 * the server to come back (the reliability suite's blackhole scenario answered such requests after the
 * statement bound, 1 s, instead of at the 300 ms acquire deadline). A socket still in its handshake proves
 * nothing: acquire proves one with a round trip, so the caller gets the pool's PoolTimeoutError instead.
 */
describe('sockets that never finish their handshake', () => {
  it('do not count as a socket for an idle session: acquire proves one, and the caller times out at acquire', async () => {
    const { db, driver } = await faults.open([Parcel], {
      max: 2,
      acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
      // The driver closes an idle socket after 50 ms, so the session outlives every established socket.
      idleTimeoutMs: 50,
      connectTimeoutMs: 2_000,
      // The idle session is handed out without a validation ping: what is under test is acquire's own check.
      validateAfterIdleMs: 60_000,
    });
    const repo = db.repository(Parcel);
    await repo.count();
    await expect.poll(() => driver.physicalStats().total, { timeout: 5_000 }).toBe(0);

    // New sockets now hang in their handshake (its hello is never answered); one is being opened.
    faults.server.setBlackhole(true, { commands: ['hello', 'ismaster', 'isMaster'] });
    const opening = driver.client
      .db(TEST_DATABASE)
      .command({ ping: 1 })
      .catch(() => undefined);
    try {
      await expect.poll(() => driver.physicalStats().total, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(driver.physicalStats()).toMatchObject({ idle: 0, checkedOut: 0 });
      expect(driver.nativeStats().idle).toBe(1);

      const acquired: string[] = [];
      db.pool.on('acquire', ({ connectionId }) => acquired.push(connectionId));
      const error = await repo.count().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PoolTimeoutError);
      // Refused at acquire (the proving round trip found no socket in time), not handed a session whose
      // command then waited for one.
      expect(acquired).toEqual([]);
    } finally {
      faults.server.clearFaults();
    }
    await opening;
    // The hung handshakes fail at the connect timeout; then the driver opens sockets that work again.
    await expect.poll(() => driver.physicalStats().total, { timeout: 10_000 }).toBe(0);
    await expect(repo.count()).resolves.toBe(0);
  }, 30_000);
});
