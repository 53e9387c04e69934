import type { IncomingMessage } from 'node:http';

/** How much of a refused body is read and discarded at most, beyond what has arrived already. */
export interface DiscardLimits {
  readonly bytes: number;
  readonly ms: number;
}

/** 4 MiB or 2 s: a client sending a few MiB too much reads its 413; one sending far more is cut off. */
export const DISCARD_LIMITS: DiscardLimits = { bytes: 4 * 1024 * 1024, ms: 2_000 };

/**
 * Reads and discards what is left of a request body, resolving once the client has sent all of it, or
 * once `limits` are reached (or at once when the announced length is already beyond them).
 *
 * Fastify answers a body over the limit (413) as soon as it knows, without reading the rest, and closes
 * the connection after the answer. If the client is still sending, its bytes arrive at a closed socket, the
 * kernel answers them with a reset, and a client that had not read the 413 yet sees ECONNRESET/EPIPE
 * instead. Once the whole body has been read the close is an orderly FIN and the 413 reaches the client.
 */
export function discardBody(request: IncomingMessage, limits: DiscardLimits = DISCARD_LIMITS): Promise<void> {
  if (request.complete || request.readableEnded || request.destroyed) return Promise.resolve();
  const announced = Number(request.headers['content-length']);
  if (Number.isFinite(announced) && announced > limits.bytes) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const done = () => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', done);
      request.off('close', done);
      request.off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limits.bytes) done();
    };
    const timer = setTimeout(done, limits.ms);
    request.on('data', onData);
    request.once('end', done);
    request.once('close', done);
    request.once('error', done);
    request.resume();
  });
}
