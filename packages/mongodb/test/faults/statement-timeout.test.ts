import { StatementTimeoutError, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';
import { TEST_DATABASE } from '../support/test-server.js';

const Job = defineEntity('timeout_jobs', { id: field.id(), label: field.string() });
const TIMEOUT_MS = 100;

const faults = useFaultServer();

async function timed(work: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = performance.now();
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, elapsedMs: performance.now() - started };
}

describe('statementTimeoutMs (maxTimeMS on every command)', () => {
  it('a slow find, count or write fails with StatementTimeoutError at the limit; the connection stays usable', async () => {
    const { db } = await faults.open([Job], { max: 1, statementTimeoutMs: TIMEOUT_MS });
    const repo = db.repository(Job);
    const row = await repo.insert({ label: 'a' });
    const ids: string[] = [];
    db.pool.on('acquire', ({ connectionId }) => ids.push(connectionId));
    for (const [command, work] of [
      ['find', () => repo.find()],
      ['aggregate', () => repo.count()],
      ['insert', () => repo.insert({ label: 'slow' })],
      ['findAndModify', () => repo.update(row.id, { label: 'b' })],
    ] as const) {
      faults.server.setCommandDelay(2_000, { commands: [command] });
      const { error, elapsedMs } = await timed(work);
      faults.server.setCommandDelay(0);
      expect(error, command).toBeInstanceOf(StatementTimeoutError);
      expect((error as StatementTimeoutError).retryable).toBe(true);
      expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
      expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 300);
    }
    expect(await repo.count()).toBe(1);
    // A timeout is not a lost connection: the same logical connection served every call.
    expect(new Set(ids).size).toBe(1);
  });

  it('inside a transaction, a timed-out statement rolls the whole transaction back', async () => {
    const { db } = await faults.open([Job], { statementTimeoutMs: TIMEOUT_MS });
    faults.server.setCommandDelay(2_000, { commands: ['aggregate'] });
    const error = await db
      .transaction(async (tx) => {
        await tx.repository(Job).insert({ label: 'rolled back' });
        await tx.repository(Job).count();
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatementTimeoutError);
    expect(faults.server.documents(TEST_DATABASE, Job.name)).toEqual([]);
    expect(faults.server.openTransactionCount).toBe(0);
  });
});
