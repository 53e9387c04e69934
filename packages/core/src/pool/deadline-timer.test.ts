import { describe, expect, it } from 'vitest';
import { DeadlineTimer } from './deadline-timer.js';

function firedAt(timer: DeadlineTimer, delayMs: number): Promise<number> {
  const deadline = performance.now() + delayMs;
  return new Promise((resolve) => timer.schedule(deadline, () => resolve(performance.now() - deadline)));
}

describe('DeadlineTimer', () => {
  it('fires each deadline no earlier than its time, in deadline order', async () => {
    const timer = new DeadlineTimer();
    const order: number[] = [];
    const start = performance.now();
    const done = Promise.all(
      [40, 10, 30, 20].map(
        (ms) =>
          new Promise<void>((resolve) =>
            timer.schedule(start + ms, () => {
              expect(performance.now()).toBeGreaterThanOrEqual(start + ms);
              order.push(ms);
              resolve();
            }),
          ),
      ),
    );
    await done;
    expect(order).toEqual([10, 20, 30, 40]);
  });

  it('never fires a cancelled deadline, whether it is first, last or in the middle', async () => {
    const timer = new DeadlineTimer();
    const start = performance.now();
    const fired: string[] = [];
    const a = timer.schedule(start + 5, () => fired.push('a'));
    timer.schedule(start + 15, () => fired.push('b'));
    const c = timer.schedule(start + 25, () => fired.push('c'));
    const last = firedAt(timer, 35);
    a.cancel();
    c.cancel();
    c.cancel();
    expect(await last).toBeGreaterThanOrEqual(0);
    expect(fired).toEqual(['b']);
  });

  it('re-arms for a deadline earlier than the one it waits for', async () => {
    const timer = new DeadlineTimer();
    const late = firedAt(timer, 200);
    const early = firedAt(timer, 10);
    const lateness = await early;
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(150);
    timer.clear();
    const outcome = await Promise.race([
      late.then(() => 'fired'),
      new Promise((r) => setTimeout(() => r('cleared'), 250)),
    ]);
    expect(outcome).toBe('cleared');
  });

  it('schedules and cancels thousands of deadlines without firing any, leaving nothing behind', async () => {
    const timer = new DeadlineTimer();
    let fired = 0;
    for (let i = 0; i < 10_000; i++) timer.schedule(performance.now() + 20, () => fired++).cancel();
    const after = firedAt(timer, 40);
    await after;
    expect(fired).toBe(0);
  });
});
