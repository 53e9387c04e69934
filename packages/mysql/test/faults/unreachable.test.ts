import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { ConnectionLostError, Database, PoolTimeoutError } from '@berth/core';
import { freePort } from '@berth/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { MysqlDriver } from '../../src/mysql-driver.js';
import { Employee } from '../support/fixtures.js';
import { TEST_DATABASE } from '../support/test-env.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
const databases: Database[] = [];

/** A loopback server that accepts connections and never says anything: a hung server. */
async function silentServer(): Promise<number> {
  const server = createServer((socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function open(port: number, config: Record<string, unknown> = {}, acquireTimeoutMs = 2_000) {
  const driver = new MysqlDriver({
    host: '127.0.0.1',
    port,
    user: 'root',
    database: TEST_DATABASE,
    max: 2,
    ...config,
  });
  const db = await Database.open(driver, { entities: [Employee], pool: { acquireTimeoutMs } });
  databases.push(db);
  return db;
}

async function timed(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await work;
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

describe('an unreachable server', () => {
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.close(500)));
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('a closed port fails fast with ConnectionLostError', async () => {
    const db = await open(await freePort());
    const { error, ms } = await timed(db.repository(Employee).count());
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(ms).toBeLessThan(200);
    expect(db.pool.stats()).toMatchObject({ total: 0, inUse: 0 });
    console.info(`unreachable: closed port refused in ${ms.toFixed(1)} ms`);
  });

  it('a closed port with min > 0 reports background connect failures as pool errors, without crashing', async () => {
    const db = await open(await freePort(), { min: 2, sweepIntervalMs: 50 });
    const errors: Error[] = [];
    db.pool.on('error', ({ error }) => errors.push(error));
    await expect.poll(() => errors.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(1);
    for (const error of errors) expect(error).toBeInstanceOf(ConnectionLostError);
    // Retries back off rather than hammering the server on every sweep.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(errors.length).toBeLessThanOrEqual(4);
  });

  it('a server that accepts but never answers fails at connectTimeoutMs, or at the acquire deadline', async () => {
    const port = await silentServer();
    const db = await open(port, { connectTimeoutMs: 300 });
    const { error, ms } = await timed(db.repository(Employee).count());
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(600);

    const impatient = await open(port, { connectTimeoutMs: 1_000 }, 200);
    const late = await timed(impatient.repository(Employee).count());
    expect(late.error).toBeInstanceOf(PoolTimeoutError);
    expect(late.ms).toBeLessThan(300);
    console.info(
      `unreachable: silent server: connect timeout after ${ms.toFixed(0)} ms; acquire deadline after ${late.ms.toFixed(0)} ms`,
    );
  });
});
