import { once } from 'node:events';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../src/fault-proxy.js';

let echo: Server;
let echoSockets: Set<Socket>;
let proxy: FaultProxy;
const clients: Socket[] = [];

beforeAll(async () => {
  echoSockets = new Set();
  echo = createServer((socket) => {
    echoSockets.add(socket);
    socket.on('close', () => echoSockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => socket.write(chunk));
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
});

afterAll(async () => {
  echo.close();
});

async function startProxy(): Promise<FaultProxy> {
  proxy = await FaultProxy.start({
    target: { host: '127.0.0.1', port: (echo.address() as AddressInfo).port },
  });
  return proxy;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await proxy?.close();
});

async function open(): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port: proxy.port });
  socket.on('error', () => undefined);
  clients.push(socket);
  await once(socket, 'connect');
  return socket;
}

/** Sends `text` and resolves with what came back within `ms`, or `undefined`. */
async function roundTrip(socket: Socket, text: string, ms = 1_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let got = '';
    const timer = setTimeout(() => {
      socket.off('data', onData);
      resolve(undefined);
    }, ms);
    const onData = (chunk: Buffer) => {
      got += chunk.toString();
      if (got.length >= text.length) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve(got);
      }
    };
    socket.on('data', onData);
    socket.write(text);
  });
}

function closed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let code = 'close';
    socket.once('error', (e: NodeJS.ErrnoException) => {
      code = e.code ?? 'error';
    });
    socket.once('close', () => resolve(code));
  });
}

describe('FaultProxy', () => {
  it('passes bytes both ways', async () => {
    await startProxy();
    const socket = await open();
    expect(await roundTrip(socket, 'hello')).toBe('hello');
    expect(proxy.openConnections).toBe(1);
    expect(proxy.records[0]?.answered).toBe(true);
  });

  it('dropNextReply forwards the matching request, swallows its reply and resets; once only', async () => {
    await startProxy();
    const socket = await open();
    expect(await roundTrip(socket, 'BEGIN')).toBe('BEGIN');
    const dropped = proxy.dropNextReply(/COMMIT/);
    const gone = closed(socket);
    socket.write('COMMIT');
    await dropped;
    expect(await gone).toBe('ECONNRESET');
    // Disarmed once fired: the next COMMIT, on a new connection, is answered.
    expect(await roundTrip(await open(), 'COMMIT')).toBe('COMMIT');
  });

  it('resets open connections and every new one', async () => {
    await startProxy();
    const socket = await open();
    expect(await roundTrip(socket, 'a')).toBe('a');
    const gone = closed(socket);
    await proxy.setMode('reset');
    expect(await gone).toBe('ECONNRESET');
    const next = connect({ host: '127.0.0.1', port: proxy.port });
    clients.push(next);
    expect(await closed(next)).toBe('ECONNRESET');
    await proxy.heal();
    expect(await roundTrip(await open(), 'b')).toBe('b');
  });

  it('blackholes: holds bytes with sockets open, delivers them on healing', async () => {
    await startProxy();
    const socket = await open();
    expect(await roundTrip(socket, 'x')).toBe('x');
    await proxy.setMode('blackhole');
    expect(await roundTrip(socket, 'held', 300)).toBeUndefined();
    expect(socket.destroyed).toBe(false);
    // A connection made during the blackhole is accepted but reaches nothing.
    const late = await open();
    expect(await roundTrip(late, 'late', 200)).toBeUndefined();
    expect(echoSockets.size).toBe(1);
    const received = new Promise<string>((resolve) => socket.once('data', (c) => resolve(c.toString())));
    await proxy.heal();
    expect(await received).toBe('held');
    expect(await roundTrip(late, '!', 1_000)).toMatch(/late|!/);
  });

  it('holds a close during a blackhole until it heals', async () => {
    await startProxy();
    const socket = await open();
    expect(await roundTrip(socket, 'x')).toBe('x');
    await proxy.setMode('blackhole');
    socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(echoSockets.size).toBe(1);
    await proxy.heal();
    await new Promise((r) => setTimeout(r, 100));
    expect(echoSockets.size).toBe(0);
  });

  it('adds latency downstream, keeping order', async () => {
    await startProxy();
    proxy.setLatency(200);
    const socket = await open();
    const started = performance.now();
    expect(await roundTrip(socket, 'slow')).toBe('slow');
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    const parts: string[] = [];
    socket.on('data', (c) => parts.push(c.toString()));
    for (const p of ['1', '2', '3']) socket.write(p);
    await new Promise((r) => setTimeout(r, 400));
    expect(parts.join('')).toBe('123');
    proxy.setLatency(0);
    const fast = performance.now();
    expect(await roundTrip(socket, 'f')).toBe('f');
    expect(performance.now() - fast).toBeLessThan(100);
  });

  it('refuses new connections while open ones keep working', async () => {
    await startProxy();
    const socket = await open();
    await proxy.setMode('refuse');
    const refused = connect({ host: '127.0.0.1', port: proxy.port });
    clients.push(refused);
    expect(await closed(refused)).toBe('ECONNREFUSED');
    expect(await roundTrip(socket, 'still')).toBe('still');
    await proxy.heal();
    expect(await roundTrip(await open(), 'back')).toBe('back');
  });

  it('accepts but never completes a handshake, and records when the client gives up', async () => {
    await startProxy();
    await proxy.setMode('hang');
    const socket = await open();
    expect(await roundTrip(socket, 'hello?', 300)).toBeUndefined();
    expect(echoSockets.size).toBe(0);
    await proxy.heal();
    // Healing does not rescue a handshake that was left hanging.
    expect(await roundTrip(socket, 'still?', 200)).toBeUndefined();
    const gone = closed(socket);
    socket.destroy();
    await gone;
    await new Promise((r) => setTimeout(r, 20));
    const record = proxy.records[0]!;
    expect(record.acceptedIn).toBe('hang');
    expect(record.answered).toBe(false);
    expect(record.clientClosedAt).toBeGreaterThan(record.acceptedAt);
    expect(proxy.openConnections).toBe(0);
  });

  it('resets on demand without changing mode', async () => {
    await startProxy();
    const a = await open();
    const b = await open();
    const gone = Promise.all([closed(a), closed(b)]);
    expect(proxy.resetAll()).toBe(2);
    expect(await gone).toEqual(['ECONNRESET', 'ECONNRESET']);
    expect(await roundTrip(await open(), 'ok')).toBe('ok');
  });
});
