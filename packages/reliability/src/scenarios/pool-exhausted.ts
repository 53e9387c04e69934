import type { Reply } from '../http.js';
import type { Stack } from './harness.js';
import { employee, settle, withStack } from './harness.js';
import { CONFIG, SERVER_BACKENDS, type Figure, type Scenario, type ScenarioContext, ms } from './scenario.js';

const WAITERS = 8;

/**
 * Slow work that holds the pool: writes blocked behind a foreign session's lock (MongoDB: the test server
 * delays inserts). Returns the requests holding connections, and how to let them finish.
 */
async function holdPool(context: ScenarioContext, stack: Stack, holders: number, long: boolean) {
  const { control, tag } = context;
  let release: () => Promise<void>;
  if (context.backend === 'mongodb') {
    const server = (control as unknown as { server: import('@berth/mongo-test-server').MongoTestServer })
      .server;
    // A long delay outlives the waiters' deadline; a short one ends on its own while they queue.
    server.setCommandDelay(long ? 60_000 : 150, { commands: ['insert'] });
    release = async () => server.setCommandDelay(0);
  } else {
    const lock = await control.lockEmployees();
    release = () => lock.release();
  }
  const requests = Array.from({ length: holders }, (_, i) =>
    settle(stack.http.json('POST', '/employees', employee(`${tag}-h`, i))),
  );
  // Let the holders reach the database before anyone else asks.
  await new Promise((r) => setTimeout(r, 80));
  return { requests, release };
}

function waiter(stack: Stack, i: number) {
  return settle(stack.http.request('GET', `/employees?limit=1&department=waiter-${i}`));
}

/**
 * Pool exhausted by slow work: waiters answered 503 with Retry-After within the acquire deadline + 100 ms,
 * first come first served, and afterwards 0 waiting and 0 in use.
 */
export const poolExhausted: Scenario = {
  name: 'pool exhausted by slow work',
  backends: SERVER_BACKENDS,
  notApplicable: {
    pglite:
      "PGlite executes on the app's own event loop: slow work there holds the loop (waiters' requests are " +
      'not even read), not the pool, so no slow work can hold its one connection while waiters queue',
  },
  async run(context): Promise<Figure> {
    // One connection: it makes the order waiters are served observable.
    const poolMax = 1;
    return withStack(context, { poolMax }, async (stack) => {
      const bound = CONFIG.acquireTimeoutMs + 100;
      // Phase 1: the deadline. Holders keep every connection; waiters must be answered in time.
      const hold = await holdPool(context, stack, poolMax, true);
      const waiters: (Reply | undefined)[] = await Promise.all(
        Array.from({ length: WAITERS }, async (_, i) => {
          await new Promise((r) => setTimeout(r, i * 10));
          return waiter(stack, i);
        }),
      );
      await hold.release();
      await Promise.all(hold.requests);
      // The bound is on being refused; a waiter that got a connection in time then did its work.
      const latencies = waiters
        .filter((w) => w?.status !== 200)
        .map((w) => (w ? w.endedAt - w.startedAt : Number.POSITIVE_INFINITY));
      const worst = Math.max(0, ...latencies);
      const refused = waiters.filter(
        (w) => w?.status === 503 && w.headers['retry-after'] !== undefined,
      ).length;
      const served = waiters.filter((w) => w?.status === 200).length;
      const wrong = waiters.length - refused - served;
      const deadlineHeld = worst <= bound && wrong === 0 && refused > 0;

      // Phase 2: first come first served. One connection, held, then freed while waiters queue: with a
      // single connection they are served one at a time, so the order they finish is the order served.
      const hold2 = await holdPool(context, stack, poolMax, false);
      const order: number[] = [];
      const queued = Array.from({ length: 5 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 15));
        const reply = await waiter(stack, i);
        if (reply?.status === 200) order.push(i);
        return reply;
      });
      await new Promise((r) => setTimeout(r, 5 * 15 + 40));
      await hold2.release();
      await Promise.all([...queued, ...hold2.requests]);
      const fifo = order.length >= 2 && order.every((v, i) => i === 0 || v > order[i - 1]!);

      await new Promise((r) => setTimeout(r, 100));
      const pool = await stack.api.pool();
      const drained = pool !== undefined && pool.waiting === 0 && pool.inUse === 0;
      const figure =
        `${refused}/${WAITERS} waiters 503+Retry-After${served ? `, ${served} served` : ''}${wrong ? `, ${wrong} other` : ''}, ` +
        `slowest 503 ${ms(worst)} (bound ${ms(bound)}); served in order ${order.join(',') || 'none'}; ` +
        `after: waiting ${pool?.waiting ?? '?'}, inUse ${pool?.inUse ?? '?'}`;
      return { scenario: this.name, backend: context.backend, figure, held: deadlineHeld && fifo && drained };
    });
  },
};
