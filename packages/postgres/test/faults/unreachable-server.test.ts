import { ConnectionLostError, Database, PoolTimeoutError } from '@berth/core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PostgresDriver } from '../../src/postgres-driver.js';
import { queryTimeoutMarginMs } from '../../src/postgres-driver-config.js';
import { databaseUrl, TEST_DATABASE, TEST_URL } from '../support/server.js';
import { freePort, TcpProxy } from '@berth/testkit';
import { closeTestDatabases, eventually, expectAtRest, openTestDatabase } from '../support/test-database.js';

const proxies: TcpProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
  await closeTestDatabases();
});

async function startProxy(): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(TEST_URL);
  const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  proxies.push(proxy);
  const url = new URL(databaseUrl(TEST_DATABASE));
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return { proxy, url: url.href };
}

describe('a server nobody listens for', () => {
  it('fails a request quickly with ConnectionLostError, and the pool stays empty', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/${TEST_DATABASE}`;
    const db = await Database.open(new PostgresDriver({ url, max: 2 }), {
      pool: { acquireTimeoutMs: 2_000 },
    });
    try {
      const started = performance.now();
      const error = await db.ping().catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect((error as Error).message).toMatch(/ECONNREFUSED|connect/i);
      expect(elapsed).toBeLessThan(500);
      console.info(`closed port: ConnectionLostError after ${elapsed.toFixed(1)} ms`);
      expect(db.pool.stats()).toMatchObject({ total: 0, idle: 0, inUse: 0, waiting: 0 });
    } finally {
      await db.close();
    }
  });

  it('opens anyway with `min`, reporting the failed warm-up as the last connection error', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/${TEST_DATABASE}`;
    const db = await Database.open(new PostgresDriver({ url, max: 2, min: 1 }));
    try {
      expect(db.pool.lastConnectionError).toBeInstanceOf(Error);
      expect(db.pool.lastConnectionError?.message).toMatch(/ECONNREFUSED/);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!inject('postgresAvailable'))('a server that stops answering', () => {
  it('refused, then silent: ConnectionLostError, then PoolTimeoutError carrying the last connection error', async () => {
    const { proxy, url } = await startProxy();
    const db = await Database.open(new PostgresDriver({ url, max: 1, connectTimeoutMs: 1_000 }), {
      pool: { acquireTimeoutMs: 300 },
    });
    try {
      proxy.refuse = true;
      const lost = await db.ping().catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(ConnectionLostError);

      proxy.refuse = false;
      proxy.freeze();
      const started = performance.now();
      const timeout = await db.ping().catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(timeout).toBeInstanceOf(PoolTimeoutError);
      const error = timeout as PoolTimeoutError;
      console.info(
        `silent server, acquire deadline 300 ms: PoolTimeoutError after ${Math.round(elapsed)} ms`,
      );
      expect(elapsed).toBeLessThan(300 + 100);
      expect(error.waitedMs).toBeGreaterThanOrEqual(290);
      expect(error.lastConnectionError).toBe(lost);
      expect(error.stats).toMatchObject({ max: 1, total: 1, idle: 0 });
      expect(error.message).toMatch(/last connection error/);
    } finally {
      await proxy.stop();
      await db.close();
    }
  });

  it('gone silent mid-statement: the client-side backstop ends it with ConnectionLostError within the statement timeout + 10 %, and drops the connection', async () => {
    const statementTimeoutMs = 1_000;
    const { proxy, url } = await startProxy();
    const db = await Database.open(new PostgresDriver({ url, max: 1, statementTimeoutMs }));
    try {
      await db.ping();
      proxy.freeze();
      const started = performance.now();
      const error = await db.ping().catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(ConnectionLostError);
      expect((error as Error).message).toMatch(/did not answer/);
      // statement_timeout never arrives; the client-side bound fires a small margin (5 %, here 50 ms) later.
      console.info(
        `silent server, statement timeout ${statementTimeoutMs} ms: ConnectionLostError after ${Math.round(elapsed)} ms`,
      );
      expect(elapsed).toBeGreaterThan(statementTimeoutMs + queryTimeoutMarginMs(statementTimeoutMs) - 5);
      expect(elapsed).toBeLessThanOrEqual(statementTimeoutMs * 1.1);
      await eventually(() => expect(db.pool.stats()).toMatchObject({ total: 0, inUse: 0 }));

      proxy.thaw();
      await db.ping();
      expect(db.pool.stats()).toMatchObject({ total: 1, idle: 1 });
    } finally {
      await proxy.stop();
      await db.close();
    }
  });

  it('connections cut under the pool: the next requests succeed on new connections', async () => {
    const { proxy, url } = await startProxy();
    const handle = await openTestDatabase({ label: 'cut', driver: { url, max: 2, min: 2 } });
    const before = await handle.serverPids();
    expect(before).toHaveLength(2);
    proxy.cut();
    await eventually(() => expect(handle.errors.length).toBe(2));
    expect(handle.errors.every((e) => /terminated|ECONNRESET/i.test(e.message))).toBe(true);
    await Promise.all([handle.db.ping(), handle.db.ping(), handle.db.ping()]);
    await expectAtRest(handle, { total: 2 });
    expect((await handle.serverPids()).some((pid) => before.includes(pid))).toBe(false);
  });
});
