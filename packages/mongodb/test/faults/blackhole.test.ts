import { CommitOutcomeUnknownError, ConnectionLostError, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';

const Parcel = defineEntity('blackhole_parcels', { id: field.id(), label: field.string() });
const STATEMENT_TIMEOUT_MS = 1_000;
/** The contract: a statement in flight fails within the statement timeout + 10 %; 50 ms for timers. */
const BOUND_MS = STATEMENT_TIMEOUT_MS * 1.1 + 50;

const faults = useFaultServer();

/** Resolves once the server has received a command named `name` (which the blackhole never answers). */
function received(name: string): Promise<void> {
  return new Promise((resolve) => {
    faults.server.setCommandHook((info) => {
      if (info.name === name) resolve();
      return undefined;
    });
  });
}

async function timed(work: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now();
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, elapsedMs: performance.now() - started };
}

describe('a server gone silent under an operation in flight (maxTimeMS cannot answer)', () => {
  it('each kind of operation fails with ConnectionLostError within the statement timeout + 10 %, its connection is destroyed, and the next one works once healed', async () => {
    const { db, driver } = await faults.open([Parcel], { max: 2, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    const repo = db.repository(Parcel);
    const row = await repo.insert({ label: 'kept' });
    const acquired: string[] = [];
    const destroyed: string[] = [];
    db.pool.on('acquire', ({ connectionId }) => acquired.push(connectionId));
    db.pool.on('destroy', ({ connectionId, reason }) => destroyed.push(`${connectionId}:${reason}`));
    const figures: string[] = [];
    // A write outside a transaction that was sent may have been applied: its outcome is unknown. A read,
    // and work inside a transaction before its commit, committed nothing: ConnectionLostError.
    for (const [name, work, expected] of [
      ['find', () => repo.find(), ConnectionLostError],
      // Reads and single-document writes are retried once by the driver on another socket, which the
      // blackhole holds too: the bound is the operation's, not each attempt's.
      ['aggregate', () => repo.count(), ConnectionLostError],
      ['insert', () => repo.insert({ label: 'lost' }), CommitOutcomeUnknownError],
      // An update is one findAndModify: a write whose reply the blackhole holds.
      ['findAndModify', () => repo.update(row.id, { label: 'lost' }), CommitOutcomeUnknownError],
      ['delete', () => repo.delete(row.id), CommitOutcomeUnknownError],
      [
        'insert',
        () =>
          db.transaction(async (tx) => {
            await tx.repository(Parcel).insert({ label: 'lost in a transaction' });
          }),
        ConnectionLostError,
      ],
    ] as const) {
      faults.server.setBlackhole(true);
      const arrived = received(name);
      const outcome = timed(work);
      // (An update reads the row first: that read is what the blackhole holds.)
      await Promise.race([arrived, outcome]);
      const { error, elapsedMs } = await outcome;
      figures.push(`${name} ${Math.round(elapsedMs)} ms`);
      expect(error, name).toBeInstanceOf(expected);
      expect(elapsedMs, name).toBeGreaterThan(STATEMENT_TIMEOUT_MS);
      expect(elapsedMs, name).toBeLessThanOrEqual(BOUND_MS);
      // The logical connection is destroyed, never handed out again.
      const used = acquired.at(-1)!;
      expect(destroyed, name).toContain(`${used}:error`);

      faults.server.setBlackhole(false);
      faults.server.setCommandHook(undefined);
      // The driver's own retry of a write may still land once healed, which is why a lone write's outcome
      // is unknown. What matters here is that the next operation is served.
      await expect(repo.count()).resolves.toBeTypeOf('number');
      expect(acquired.at(-1)).not.toBe(used);
    }
    console.info(
      `blackhole, statement timeout ${STATEMENT_TIMEOUT_MS} ms: ConnectionLostError after ${figures.join(', ')}`,
    );
    expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
    // The sockets the driver gave up on are closed (the retries' too, at their own socket timeout): the
    // server holds no more than the driver's pool and its two monitoring sockets.
    await expect
      .poll(() => faults.server.connectionCount - driver.physicalStats().total, { timeout: 5_000 })
      .toBeLessThanOrEqual(2);
  }, 30_000);
});
