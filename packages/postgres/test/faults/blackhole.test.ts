import { ConnectionLostError, defineEntity, field } from '@berth/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl, rawQuery, TEST_DATABASE, TEST_URL } from '../support/server.js';
import { TcpProxy } from '@berth/testkit';
import { closeTestDatabases, eventually, expectAtRest, openTestDatabase } from '../support/test-database.js';

const Slot = defineEntity('pg_blackhole_slots', {
  id: field.id(),
  label: field.string({ max: 40 }),
});

const STATEMENT_TIMEOUT_MS = 1_000;
/** The contract: a statement in flight fails within the statement timeout + 10 %; 50 ms for timers. */
const BOUND_MS = STATEMENT_TIMEOUT_MS * 1.1 + 50;

const available = inject('postgresAvailable');
const proxies: TcpProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
  await closeTestDatabases();
});

describe.skipIf(!available)('a network gone dark under a statement in flight', () => {
  beforeAll(async () => {
    const handle = await openTestDatabase({ label: 'blackhole-schema', entities: [Slot] });
    await handle.db.ensureSchema();
    await handle.close();
  });
  afterAll(async () => {
    if (available) await rawQuery('DROP TABLE IF EXISTS pg_blackhole_slots');
  });

  it('fails with ConnectionLostError within the statement timeout + 10 %, drops the connection, and works again once healed', async () => {
    const target = new URL(TEST_URL);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    proxies.push(proxy);
    const url = new URL(databaseUrl(TEST_DATABASE));
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const handle = await openTestDatabase({
      label: 'blackhole',
      entities: [Slot],
      driver: { url: url.href, max: 1, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
    });
    const slots = handle.db.repository(Slot);
    await slots.count();
    const [before] = await handle.serverPids();

    // A statement surely in flight: blocked behind a foreign lock, which goes away behind the dark network,
    // so the server's answer (rows, or its own statement timeout) never comes back.
    const locker = new pg.Client({ connectionString: TEST_URL, application_name: 'berth_test_locker' });
    locker.on('error', () => undefined);
    await locker.connect();
    let elapsed: number;
    let error: unknown;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE pg_blackhole_slots IN ACCESS EXCLUSIVE MODE');
      const started = performance.now();
      const inFlight = slots.count().catch((e: unknown) => e);
      await eventually(async () => {
        const rows = await rawQuery('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [
          Number(before),
        ]);
        expect(rows[0]?.wait_event_type).toBe('Lock');
      });
      proxy.freeze();
      await locker.query('ROLLBACK');
      error = await inFlight;
      elapsed = performance.now() - started;
    } finally {
      await locker.end();
    }

    console.info(
      `blackhole, statement timeout ${STATEMENT_TIMEOUT_MS} ms: ${(error as Error).name} after ${Math.round(elapsed)} ms`,
    );
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as Error).message).toMatch(/did not answer/);
    expect(elapsed).toBeGreaterThan(STATEMENT_TIMEOUT_MS);
    expect(elapsed).toBeLessThanOrEqual(BOUND_MS);
    // Destroyed at once, never handed out again.
    expect(handle.db.pool.stats()).toMatchObject({ total: 0, inUse: 0 });

    proxy.thaw();
    expect(await slots.count()).toBe(0);
    expect(handle.acquired.at(-1)).not.toBe(before);
    // The server's side of the lost connection is gone too: no zombie.
    await expectAtRest(handle, { total: 1 });
    expect(await handle.serverPids()).not.toContain(before);
  });
});
