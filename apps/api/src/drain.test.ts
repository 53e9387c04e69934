import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { RawConnection, rawRequest } from '../test/process/raw-http.js';
import { ConnectionDrain } from './drain.js';

const TIMING = { graceMs: 300, deadlineMs: 1_500 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server whose `/hang` never answers and whose other paths answer 200, with `Connection: close` as the drain says. */
async function serve(): Promise<{ server: Server; drain: ConnectionDrain; port: number }> {
  const server = createServer();
  const drain = new ConnectionDrain(server);
  server.on('request', (request, response) => {
    if (request.url === '/hang') return;
    // Asynchronously, as Fastify answers: pipelined requests in one read are all parsed by then.
    setImmediate(() => {
      if (drain.closesConnection(request)) response.setHeader('connection', 'close');
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, drain, port: (server.address() as { port: number }).port };
}

describe('ConnectionDrain', () => {
  const open: RawConnection[] = [];
  afterEach(() => {
    for (const connection of open.splice(0)) connection.close();
  });
  const connect = async (port: number) => {
    const connection = await RawConnection.open(port);
    open.push(connection);
    return connection;
  };

  it('serves a request that arrives on an idle keep-alive socket during the grace window, then closes it', async () => {
    const { drain, port } = await serve();
    const socket = await connect(port);
    expect(await socket.send(rawRequest('GET', '/'))[0]).toMatchObject({ response: { status: 200 } });
    const started = performance.now();
    const drained = drain.drain(TIMING);
    await sleep(100);
    const [late] = socket.send(rawRequest('GET', '/'));
    expect(await late).toMatchObject({ response: { status: 200, headers: { connection: 'close' } } });
    await drained;
    // The only socket closed after its response: no need to wait for the grace window to end.
    expect(performance.now() - started).toBeLessThan(TIMING.graceMs);
  });

  it('refuses new connections, closes idle sockets after the grace window', async () => {
    const { drain, port } = await serve();
    const idle = await connect(port);
    const started = performance.now();
    const drained = drain.drain(TIMING);
    await sleep(50);
    await expect(RawConnection.open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await drained;
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(TIMING.graceMs - 5);
    expect(took).toBeLessThan(TIMING.graceMs + 200);
    expect(await idle.send(rawRequest('GET', '/'))[0]).toHaveProperty('error');
  });

  it('answers the last of pipelined requests with Connection: close, the others keep the socket', async () => {
    const { drain, port } = await serve();
    const socket = await connect(port);
    drain.markClosing();
    const replies = await Promise.all(socket.send(rawRequest('GET', '/a'), rawRequest('GET', '/b')));
    expect(replies.map((r) => ('response' in r ? r.response.headers.connection : r.error))).toEqual([
      'keep-alive',
      'close',
    ]);
  });

  it('destroys a request still unanswered at the deadline', async () => {
    const { drain, port } = await serve();
    const socket = await connect(port);
    const [hung] = socket.send(rawRequest('GET', '/hang'));
    await sleep(20);
    const started = performance.now();
    await drain.drain(TIMING);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(TIMING.deadlineMs - 5);
    expect(took).toBeLessThan(TIMING.deadlineMs + 600);
    expect(await hung).toHaveProperty('error');
  });
});
