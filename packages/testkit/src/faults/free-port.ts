import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now: a server is bound to a port the kernel picks,
 * then closed again. For a test that needs a port where connections are refused, or a port to start a
 * process on. Another process may take the port after this returns; on a test machine that is rare, and
 * the kernel hands out recently used ports last.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
