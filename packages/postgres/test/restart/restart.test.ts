import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CommitOutcomeUnknownError,
  ConnectionLostError,
  defineEntity,
  field,
  PoolTimeoutError,
} from '@berth/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_URL } from '../support/server.js';
import { closeTestDatabases, expectAtRest, openTestDatabase } from '../support/test-database.js';

/**
 * Restarts the real PostgreSQL server under load (`pg_ctlcluster`, as root). It disrupts every other test
 * using the server, so it runs alone: `pnpm test:restart`, never in the default run.
 */
const run = promisify(execFile);
const CLUSTER = (process.env.PG_TEST_CLUSTER ?? '15 main').split(' ');

const Beat = defineEntity('pg_restart_beats', {
  id: field.id(),
  worker: field.integer(),
  at: field.datetime(),
});

interface Outcome {
  startedAt: number;
  endedAt: number;
  error?: unknown;
  /** The operation was an INSERT (a lone write), not a read. */
  write?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Watches the server with plain connections: when it stopped accepting them, and when it accepted again. */
function watchServer(): { stop(): void; downAt?: number; upAt?: number } {
  const state: { stop(): void; downAt?: number; upAt?: number } = { stop: () => undefined };
  let stopped = false;
  state.stop = () => {
    stopped = true;
  };
  void (async () => {
    while (!stopped && state.upAt === undefined) {
      const client = new pg.Client({ connectionString: TEST_URL, connectionTimeoutMillis: 500 });
      client.on('error', () => undefined);
      const at = performance.now();
      try {
        await client.connect();
        await client.query('SELECT 1');
        if (state.downAt !== undefined) state.upAt = at;
      } catch {
        state.downAt ??= at;
      } finally {
        await client.end().catch(() => undefined);
      }
      await sleep(20);
    }
  })();
  return state;
}

describe.skipIf(!inject('postgresAvailable'))('a server restart under load', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);
  beforeAll(() => {
    process.on('uncaughtException', onUnhandled);
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('uncaughtException', onUnhandled);
    process.off('unhandledRejection', onUnhandled);
    await closeTestDatabases();
  });

  it('fails requests with typed errors while it is down, and serves again within 1 s of the server accepting connections', async () => {
    const handle = await openTestDatabase({
      label: 'restart',
      entities: [Beat],
      driver: { max: 4, min: 2, connectTimeoutMs: 1_000, statementTimeoutMs: 2_000 },
      pool: { acquireTimeoutMs: 1_000, validateAfterIdleMs: 100 },
    });
    await handle.db.ensureSchema();
    const beats = handle.db.repository(Beat);

    const outcomes: Outcome[] = [];
    let loading = true;
    const workers = Array.from({ length: 6 }, async (_, worker) => {
      while (loading) {
        const startedAt = performance.now();
        try {
          if (worker % 2 === 0) await beats.insert({ worker, at: new Date() });
          else await beats.count({ worker });
          outcomes.push({ startedAt, endedAt: performance.now() });
          await sleep(10);
        } catch (error) {
          outcomes.push({ startedAt, endedAt: performance.now(), error, write: worker % 2 === 0 });
          await sleep(25);
        }
      }
    });

    await sleep(500);
    const watcher = watchServer();
    const restartAt = performance.now();
    await run('pg_ctlcluster', [...CLUSTER, 'restart'], { timeout: 30_000 });
    const restartedAt = performance.now();
    // Keep the load on until the watcher has seen the server come back, then two seconds more.
    while (watcher.upAt === undefined && performance.now() - restartedAt < 10_000) await sleep(20);
    watcher.stop();
    await sleep(2_000);
    loading = false;
    await Promise.all(workers);

    const upAt = watcher.upAt ?? restartedAt;
    const failures = outcomes.filter((o) => o.error !== undefined);
    const firstSuccessAfterUp = outcomes
      .filter((o) => o.error === undefined && o.startedAt >= (watcher.downAt ?? restartAt))
      .map((o) => o.endedAt)
      .filter((endedAt) => endedAt >= upAt)
      .sort((a, b) => a - b)[0];
    const report = {
      restartMs: Math.round(restartedAt - restartAt),
      downAfterMs: watcher.downAt === undefined ? undefined : Math.round(watcher.downAt - restartAt),
      upAfterMs: Math.round(upAt - restartAt),
      firstSuccessAfterUpMs:
        firstSuccessAfterUp === undefined ? undefined : Math.round(firstSuccessAfterUp - upAt),
      operations: outcomes.length,
      failures: failures.length,
      failureKinds: [...new Set(failures.map((f) => (f.error as Error).constructor.name))],
    };
    console.info(`restart under load: ${JSON.stringify(report)}`);

    expect(watcher.downAt).toBeDefined();
    expect(failures.length).toBeGreaterThan(0);
    for (const { error, write } of failures) {
      // A write whose connection the shutdown terminated mid-statement may or may not have committed, and the
      // server is not there to ask: that is CommitOutcomeUnknownError, never a "safe to retry".
      const allowed = write
        ? [ConnectionLostError, PoolTimeoutError, CommitOutcomeUnknownError]
        : [ConnectionLostError, PoolTimeoutError];
      expect(
        allowed.some((type) => error instanceof type),
        String(error),
      ).toBe(true);
    }
    expect(firstSuccessAfterUp).toBeDefined();
    expect(firstSuccessAfterUp! - upAt).toBeLessThan(1_000);
    // Once the server is back every request succeeds: nothing is stuck in the pool.
    const last = outcomes.filter((o) => o.startedAt > upAt + 1_000);
    expect(last.length).toBeGreaterThan(0);
    expect(last.filter((o) => o.error !== undefined)).toEqual([]);

    await expectAtRest(handle);
    expect(handle.db.pool.stats().total).toBeGreaterThanOrEqual(2);
    await handle.db.ping();
    expect(unhandled).toEqual([]);
  });
});
