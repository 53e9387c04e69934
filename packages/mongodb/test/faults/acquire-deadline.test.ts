import { PoolTimeoutError, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { useFaultServer } from '../support/fault-server.js';

const Slot = defineEntity('deadline_slots', { id: field.id(), label: field.string() });
const DEADLINE_MS = 200;

const faults = useFaultServer();

describe('the acquire deadline with a pool of one', () => {
  it('a second caller gets PoolTimeoutError within the deadline + 100 ms while a transaction holds the connection', async () => {
    const { db } = await faults.open([Slot], { max: 1, acquireTimeoutMs: DEADLINE_MS });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const holder = db.transaction(async (tx) => {
      await tx.repository(Slot).insert({ label: 'held' });
      entered();
      await gate;
    });
    await inside;
    for (const work of [() => db.repository(Slot).count(), () => db.transaction(async () => undefined)]) {
      const started = performance.now();
      const error = await work().catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(PoolTimeoutError);
      expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 1);
      expect(elapsed).toBeLessThanOrEqual(DEADLINE_MS + 100);
      expect((error as PoolTimeoutError).stats).toMatchObject({ max: 1, inUse: 1, total: 1, idle: 0 });
    }
    release();
    await holder;
    expect(await db.repository(Slot).count()).toBe(1);
  });
});
