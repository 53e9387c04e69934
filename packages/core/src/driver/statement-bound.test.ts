import { once } from 'node:events';
import { type AddressInfo, type Socket, createServer, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { StatementBoundExceeded, withinStatementBound } from './statement-bound.js';

/** Blocks the event loop, as a busy process does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('withinStatementBound', () => {
  it('takes an answer that arrived in time even when the event loop is late to notice it', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    const [peer] = await accepted;
    try {
      const answer = new Promise<string>((resolve) => client.once('data', (data) => resolve(String(data))));
      const bounded = withinStatementBound(answer, 10);
      peer.write('answered');
      // The answer reaches the socket at once, but the loop is blocked past the bound: the timer and the
      // answer are due in the same turn, and the timer is handled first.
      busy(60);
      await expect(bounded).resolves.toBe('answered');
    } finally {
      client.destroy();
      peer.destroy();
      server.close();
    }
  });

  it('rejects with StatementBoundExceeded when nothing answers, and ignores a later answer', async () => {
    let answer: (value: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => {
      answer = resolve;
    });
    const started = performance.now();
    const error = await withinStatementBound(work, 30).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StatementBoundExceeded);
    expect((error as StatementBoundExceeded).boundMs).toBe(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    answer('too late');
  });

  it("passes the statement's own result and error through", async () => {
    await expect(withinStatementBound(Promise.resolve(1), 1_000)).resolves.toBe(1);
    const failure = new Error('ER_STATEMENT_TIMEOUT');
    await expect(withinStatementBound(Promise.reject(failure), 1_000)).rejects.toBe(failure);
  });

  it('leaves no unhandled rejection when the statement fails after its bound', async () => {
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<never>((_, reject) => {
      fail = reject;
    });
    await expect(withinStatementBound(work, 5)).rejects.toBeInstanceOf(StatementBoundExceeded);
    fail(new Error('connection destroyed'));
    await new Promise((resolve) => setImmediate(resolve));
  });
});
