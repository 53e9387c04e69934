import { ConnectionLostError, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';
import { TEST_DATABASE } from '../support/test-server.js';

const Event = defineEntity('fault_events', { id: field.id(), label: field.string(), n: field.integer() });

const faults = useFaultServer();
const stored = () => faults.server.documents(TEST_DATABASE, Event.name);

/** Resolves once the server has received a command named `name` (and holds it, by the delay set). */
function received(name: string): Promise<void> {
  return new Promise((resolve) => {
    faults.server.setCommandHook((info) => {
      if (info.name === name) resolve();
      return undefined;
    });
  });
}

describe('every client connection dropped by the server', () => {
  it('fails the transaction in flight with ConnectionLostError, writes nothing, and the pool recovers', async () => {
    const { db } = await faults.open([Event], { max: 2 });
    const errors: Error[] = [];
    db.pool.on('error', ({ error }) => errors.push(error));
    await db.repository(Event).insert({ label: 'before', n: 0 });
    faults.server.setCommandDelay(2_000, { commands: ['insert'] });
    const inFlight = received('insert');
    const transaction = db
      .transaction(async (tx) => {
        await tx.repository(Event).insert({ label: 'lost', n: 1 });
      })
      .catch((error: unknown) => error);
    await inFlight;
    faults.server.setCommandDelay(0);
    faults.server.setCommandHook(undefined);
    await faults.server.dropAllConnections();
    const error = await transaction;
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as ConnectionLostError).retryable).toBe(true);
    expect(stored().map((d) => d.label)).toEqual(['before']);
    // The next operation gets a fresh session and socket.
    await db.repository(Event).insert({ label: 'after', n: 2 });
    expect(await db.repository(Event).count()).toBe(2);
    expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    expect(errors.every((e) => e instanceof ConnectionLostError)).toBe(true);
  });

  it('a single-document write or a read in flight is retried once by the driver on a new socket and succeeds', async () => {
    const { db } = await faults.open([Event]);
    const row = await db.repository(Event).insert({ label: 'row', n: 0 });
    for (const [name, work] of [
      ['findAndModify', () => db.repository(Event).update(row.id, { n: 1 })],
      ['find', () => db.repository(Event).find({ where: { n: 1 } })],
    ] as const) {
      faults.server.setCommandDelay(2_000, { commands: [name] });
      const inFlight = received(name);
      const result = work();
      await inFlight;
      faults.server.setCommandDelay(0);
      faults.server.setCommandHook(undefined);
      await faults.server.dropAllConnections();
      await expect(result).resolves.toBeDefined();
    }
    expect(stored()).toMatchObject([{ label: 'row', n: 1 }]);
  });

  it('a multi-document write in flight (not retryable) runs in a transaction of its own: a dropped connection is ConnectionLostError, nothing committed; nothing crashes', async () => {
    const { db } = await faults.open([Event]);
    await db.repository(Event).insert({ label: 'row', n: 0 });
    faults.server.setCommandDelay(2_000, { commands: ['delete'] });
    const inFlight = received('delete');
    const lease = await db.pool.acquire();
    const deletion = lease.connection
      .delete({ entity: Event, where: { type: 'literal', value: true } })
      .catch((e: unknown) => e);
    await inFlight;
    faults.server.setCommandDelay(0);
    faults.server.setCommandHook(undefined);
    await faults.server.dropAllConnections();
    // Before its own transaction, a lone deleteMany was its own commit: this was CommitOutcomeUnknownError.
    expect(await deletion).toBeInstanceOf(ConnectionLostError);
    expect(lease.connection.broken).toBe(true);
    await db.pool.release(lease);
    expect(db.pool.stats()).toMatchObject({ inUse: 0 });
    expect(await db.repository(Event).count()).toBe(1);
  });

  it('dropped while idle: the next operations succeed without the caller seeing anything', async () => {
    const { db } = await faults.open([Event], { max: 3 });
    await Promise.all([
      db.repository(Event).count(),
      db.repository(Event).count(),
      db.repository(Event).count(),
    ]);
    await faults.server.dropAllConnections();
    const results = await Promise.all([
      db.repository(Event).count(),
      db.repository(Event).insert({ label: 'idle', n: 3 }),
      db.repository(Event).count(),
    ]);
    expect(results[1]).toMatchObject({ label: 'idle' });
  });
});
