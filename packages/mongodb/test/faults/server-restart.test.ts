import { ConnectionLostError, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';

const Mark = defineEntity('restart_marks', { id: field.id(), label: field.string() });

const faults = useFaultServer();

describe('the server stopped and restarted', () => {
  it('fails operations with ConnectionLostError within the connect timeout while down, and recovers within a second of accepting again', async () => {
    const { db } = await faults.open([Mark], { max: 2, connectTimeoutMs: 600, acquireTimeoutMs: 2_000 });
    const repo = db.repository(Mark);
    await repo.insert({ label: 'before' });
    await faults.server.stop();

    const started = performance.now();
    const whileDown = await repo.count().catch((error: unknown) => error);
    const downMs = performance.now() - started;
    expect(whileDown).toBeInstanceOf(ConnectionLostError);
    // Server selection is bounded by connectTimeoutMs (the driver's own default is 30 s).
    expect(downMs).toBeLessThan(600 + 400);

    // An operation already waiting when the server comes back, and ones started right after.
    const waiting = repo.count();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await faults.server.restart();
    const accepting = performance.now();
    expect(await waiting).toBe(1);
    const recoveredMs = performance.now() - accepting;
    await repo.insert({ label: 'after' });
    expect(await repo.count()).toBe(2);
    console.info(
      `mongodb: recovered ${Math.round(recoveredMs)} ms after the server accepted connections again`,
    );
    expect(recoveredMs).toBeLessThan(1_000);
    expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
  });
});
