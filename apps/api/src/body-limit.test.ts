import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { discardBody } from './body-limit.js';

/** A request body stream as the server hands it over: headers, and `complete` once all has arrived. */
function body(headers: Record<string, string> = {}) {
  return Object.assign(new PassThrough(), { headers, complete: false }) as PassThrough & IncomingMessage;
}
const limits = { bytes: 1_000, ms: 200 };

describe('discardBody', () => {
  it('reads the rest of the body and resolves when it ends', async () => {
    const request = body();
    let resolved = false;
    const discarded = discardBody(request, limits).then(() => {
      resolved = true;
    });
    request.write(Buffer.alloc(600));
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
    request.end(Buffer.alloc(300));
    await discarded;
    expect(request.readableEnded).toBe(true);
  });

  it('gives up past the byte limit, past the time limit, and at once for an announced length beyond it', async () => {
    const flood = body();
    const flooded = discardBody(flood, limits);
    flood.write(Buffer.alloc(1_001));
    await flooded;

    const slow = body();
    const started = performance.now();
    await discardBody(slow, limits);
    expect(performance.now() - started).toBeGreaterThanOrEqual(limits.ms - 5);

    const huge = body({ 'content-length': String(limits.bytes + 1) });
    const at = performance.now();
    await discardBody(huge, limits);
    expect(performance.now() - at).toBeLessThan(50);
  });

  it('resolves at once when nothing is left to read', async () => {
    const request = body();
    request.complete = true;
    await discardBody(request, limits);
  });
});
