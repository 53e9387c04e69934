import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import { ConnectionLostError, connect, DatabaseUnreachableError } from '@berth/core';
import { afterEach, describe, expect, it } from 'vitest';

const importAdapter = () => import('../src/index.js');

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A loopback port that accepts connections and never answers. */
async function silentPort(): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

describe('connect() on MongoDB', () => {
  it('a server that never answers is DatabaseUnreachableError, as on every backend, naming the target', async () => {
    const port = await silentPort();
    const error = await connect(`mongodb://127.0.0.1:${port}/app?directConnection=true`, {
      importAdapter,
      pool: { max: 2, acquireTimeoutMs: 150, connectTimeoutMs: 400 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as DatabaseUnreachableError).cause).toBeInstanceOf(ConnectionLostError);
  });
});
