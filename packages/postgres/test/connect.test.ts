import { type AddressInfo, type Server, type Socket, connect as tcpConnect, createServer } from 'node:net';
import { ConnectionLostError, connect, DatabaseUnreachableError, PoolTimeoutError } from '@berth/core';
import { freePort } from '@berth/testkit';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { databaseUrl, TEST_URL } from './support/server.js';

const importAdapter = () => import('../src/index.js');
const servers: Server[] = [];
/** Client sockets the doors accepted: closed with them, since a listening socket waits for its connections. */
const sockets = new Set<Socket>();

/**
 * A loopback port in front of `target` that holds each new connection for `holdMs` before carrying its
 * bytes (they wait in the socket, none lost), or for good when `holdMs` is `Infinity`: a database slow to
 * accept (a cold instance, a far TLS handshake), or one that never answers.
 */
async function slowDoor(target: URL, holdMs: number): Promise<number> {
  const server = createServer((client: Socket) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    client.pause();
    if (holdMs === Number.POSITIVE_INFINITY) return;
    const timer = setTimeout(() => {
      const upstream = tcpConnect(Number(target.port), target.hostname);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    }, holdMs);
    client.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

function through(port: number, url = TEST_URL): string {
  const viaDoor = new URL(url);
  viaDoor.host = `127.0.0.1:${port}`;
  return viaDoor.href;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

describe.skipIf(!inject('postgresAvailable'))('connect() proves the database answers', () => {
  it('opens a reachable database and leaves it usable', async () => {
    const db = await connect(TEST_URL, { importAdapter, pool: { max: 2 } });
    try {
      await db.ping();
      expect(db.pool.stats().total).toBeGreaterThanOrEqual(1);
    } finally {
      await db.close();
    }
  });

  it('fails at connect, not at the first query, for a database that does not exist', async () => {
    const url = databaseUrl('berth_no_such_database').replace('postgres@', 'postgres:SECRETPASS@');
    const error = await connect(url, { importAdapter }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    const e = error as DatabaseUnreachableError;
    expect(e.code).toBe('DATABASE_UNREACHABLE');
    expect(e.target).toBe(`postgres://${new URL(TEST_URL).host}/berth_no_such_database`);
    expect(e.message).toContain('berth_no_such_database');
    expect(e.message).toContain('does not exist');
    for (const secret of ['SECRETPASS']) expect(e.message).not.toContain(secret);
  });

  it('fails at connect for a server that is not there, naming host and port', async () => {
    const port = await freePort();
    const error = await connect(`postgres://postgres@127.0.0.1:${port}/app`, {
      importAdapter,
      pool: { acquireTimeoutMs: 2_000, connectTimeoutMs: 1_000 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toContain(`postgres://127.0.0.1:${port}/app`);
  });

  it('with lazy: true, opens anyway and fails at first use', async () => {
    const db = await connect(databaseUrl('berth_no_such_database'), { importAdapter, lazy: true });
    try {
      await expect(db.ping()).rejects.toThrow(/does not exist/);
    } finally {
      await db.close();
    }
  });

  it('waits for its first connection as long as connectTimeoutMs allows, not only the shorter acquire deadline', async () => {
    // The door opens after 800 ms: well past the 100 ms acquire deadline, well within the connect timeout.
    const port = await slowDoor(new URL(TEST_URL), 800);
    const db = await connect(through(port), {
      importAdapter,
      pool: { max: 2, acquireTimeoutMs: 100, connectTimeoutMs: 10_000 },
    });
    try {
      // Requests keep the acquire deadline: the connection is warm now, so this one is served at once.
      await db.ping();
      expect(db.pool.acquireTimeoutMs).toBe(100);
    } finally {
      await db.close();
    }
  });

  it('a server that never answers is unreachable for the connect timeout, not for a pool timeout', async () => {
    const port = await slowDoor(new URL(TEST_URL), Number.POSITIVE_INFINITY);
    const error = await connect(through(port), {
      importAdapter,
      pool: { max: 2, acquireTimeoutMs: 100, connectTimeoutMs: 600 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    const cause = (error as DatabaseUnreachableError).cause;
    expect(cause).not.toBeInstanceOf(PoolTimeoutError);
    expect(cause).toBeInstanceOf(ConnectionLostError);
    expect((cause as Error).message).toMatch(/timeout/);
  });
});
