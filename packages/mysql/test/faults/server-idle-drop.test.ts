import { ConnectionLostError, type Database } from '@berth/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Employee, openTestDatabase } from '../support/fixtures.js';
import { ServerProbe, serverAvailable } from '../support/test-server.js';

const probe = new ServerProbe();
let db: Database | undefined;

// The server drops these sessions after one idle second: `SESSION wait_timeout`, never the global one,
// which would disturb other packages' tests on the same server.
const DROPPED_AFTER_IDLE = { sessionVariables: { wait_timeout: 1 } };

describe.skipIf(!serverAvailable())('idle connections dropped by the server (wait_timeout)', () => {
  afterEach(async () => {
    await db?.close(1_000);
    db = undefined;
  });
  afterAll(() => probe.close());

  it('notices each drop, takes the connection out, and the next call works without an error', async () => {
    const opened = await openTestDatabase({ max: 2, ...DROPPED_AFTER_IDLE });
    db = opened.db;
    await db.ensureSchema();
    const repo = db.repository(Employee);
    await Promise.all([repo.count(), repo.count()]);
    const ids = await probe.sessionIds();
    expect(ids).toHaveLength(2);
    expect(db.pool.stats()).toMatchObject({ total: 2, idle: 2 });

    const idleSince = performance.now();
    await expect.poll(() => db!.pool.stats().total, { timeout: 4_000, interval: 50 }).toBe(0);
    const noticedMs = performance.now() - idleSince;
    expect(opened.log.events.filter((e) => e.startsWith('destroy:')).sort()).toEqual(
      ids.map((id) => `destroy:${id}:error`).sort(),
    );
    // Reported as pool `error` events, never thrown at anybody.
    for (const error of opened.log.errors) expect(error).toBeInstanceOf(ConnectionLostError);
    expect(await probe.serverConnections()).toBe(0);

    expect(await repo.count()).toBe(0);
    const [next] = await probe.sessionIds();
    expect(ids).not.toContain(next);
    console.info(
      `server-idle-drop: wait_timeout=1 s; both drops noticed ${noticedMs.toFixed(0)} ms after going idle`,
    );
  });

  it('a caller racing the drop gets a working connection or, at worst, a retryable typed error', async () => {
    // No validation ping: the caller may be handed the connection just as the server drops it.
    const opened = await openTestDatabase({ max: 1, ...DROPPED_AFTER_IDLE }, { validateAfterIdleMs: 60_000 });
    db = opened.db;
    const repo = db.repository(Employee);
    const outcomes: string[] = [];
    for (const delay of [950, 1_000, 1_050]) {
      await repo.count();
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        await repo.count();
        outcomes.push('ok');
      } catch (error) {
        expect(error).toBeInstanceOf(ConnectionLostError);
        expect((error as ConnectionLostError).retryable).toBe(true);
        outcomes.push('lost');
      }
      expect(await repo.count()).toBe(0);
    }
    console.info(`server-idle-drop: racing callers saw ${outcomes.join(', ')}`);
    expect(db.pool.stats().total).toBe(await probe.serverConnections());
  });
});
