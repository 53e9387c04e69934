import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('WorkQueue', () => {
  it('runs jobs one at a time, in push order, and a failure reaches only its caller', async () => {
    const queue = new WorkQueue();
    const log: string[] = [];
    let running = 0;
    const job =
      (name: string, fail = false) =>
      async () => {
        running++;
        expect(running).toBe(1);
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        running--;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.push(job('a')),
      queue.push(job('b', true)),
      queue.push(job('c')),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(results[1]!.status).toBe('rejected');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('settled() also waits for jobs pushed while it waits', async () => {
    const queue = new WorkQueue();
    const log: string[] = [];
    void queue.push(async () => {
      await tick();
      log.push('first');
      void queue.push(async () => {
        await tick();
        log.push('pushed by the first');
      });
    });
    await queue.settled();
    expect(log).toEqual(['first', 'pushed by the first']);
  });

  it('settled() on an idle queue resolves at once', async () => {
    await expect(new WorkQueue().settled()).resolves.toBeUndefined();
  });
});
