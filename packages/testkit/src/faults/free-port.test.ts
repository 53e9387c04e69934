import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';

describe('freePort', () => {
  it('gives a port on 127.0.0.1 where a connection is refused', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65_536);
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        reject(new Error('something listens on the port'));
      });
      socket.once('error', resolve);
    });
    expect(error.code).toBe('ECONNREFUSED');
  });
});
