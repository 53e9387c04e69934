import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy } from './tcp-proxy.js';

/** A server that answers every chunk with `ok:<chunk>` and records what it received. */
async function echoServer(): Promise<{ server: Server; port: number; received: string[] }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received.push(chunk.toString());
      socket.write(`ok:${chunk.toString()}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('not listening');
  return { server, port: address.port, received };
}

/** Sends `text` and resolves with the reply, or rejects with the socket's error or close. */
function ask(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      cleanup();
      resolve(chunk.toString());
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('closed'));
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.write(text);
  });
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}

describe('TcpProxy.dropNextReply', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0)) await fn();
  });

  async function setup() {
    const echo = await echoServer();
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: echo.port });
    cleanup.push(
      () => proxy.stop(),
      () => new Promise<void>((resolve) => echo.server.close(() => resolve())),
    );
    return { echo, proxy };
  }

  it('forwards the matching request, swallows the reply and resets the client', async () => {
    const { echo, proxy } = await setup();
    const socket = await open(proxy.port);
    expect(await ask(socket, 'SELECT 1')).toBe('ok:SELECT 1');
    const dropped = proxy.dropNextReply(/COMMIT/);
    await expect(ask(socket, 'COMMIT')).rejects.toThrow(/ECONNRESET|closed/);
    await dropped;
    // The server did receive it: it acted, only its answer was lost.
    expect(echo.received).toEqual(['SELECT 1', 'COMMIT']);
  });

  it('fires once: later connections and later matches pass untouched', async () => {
    const { proxy } = await setup();
    const first = await open(proxy.port);
    const dropped = proxy.dropNextReply(/COMMIT/);
    await expect(ask(first, 'COMMIT')).rejects.toThrow();
    await dropped;
    const second = await open(proxy.port);
    expect(await ask(second, 'COMMIT')).toBe('ok:COMMIT');
    second.destroy();
  });

  it('dropNextRequest resets the connection without forwarding the matching request', async () => {
    const { echo, proxy } = await setup();
    const socket = await open(proxy.port);
    expect(await ask(socket, 'BEGIN')).toBe('ok:BEGIN');
    const dropped = proxy.dropNextRequest(/COMMIT/);
    await expect(ask(socket, 'COMMIT')).rejects.toThrow(/ECONNRESET|closed/);
    await dropped;
    expect(echo.received).toEqual(['BEGIN']);
  });

  it('leaves requests that do not match alone, and disarm() cancels', async () => {
    const { proxy } = await setup();
    const socket = await open(proxy.port);
    void proxy.dropNextReply(/COMMIT/);
    expect(await ask(socket, 'BEGIN')).toBe('ok:BEGIN');
    proxy.disarm();
    expect(await ask(socket, 'COMMIT')).toBe('ok:COMMIT');
    socket.destroy();
  });
});
