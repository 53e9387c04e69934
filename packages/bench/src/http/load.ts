/**
 * B7's load generator, a separate process (forked with IPC): runs autocannon against one URL for a given
 * time and answers with requests/s and latency percentiles. Ids (and PATCH bodies) vary per request.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  route: 'get' | 'list' | 'patch';
  ids: string[];
  connections: number;
  durationS: number;
}

export interface LoadResult {
  requestsPerSec: number;
  p50: number;
  p99: number;
  meanLatency: number;
  ok: number;
  non2xx: number;
  errors: number;
}

let counter = 0;

function run(request: LoadRequest): Promise<LoadResult> {
  const { url, route, ids } = request;
  const next = () => ids[(counter++ * 7919) % ids.length]!;
  const requests: autocannon.Request[] =
    route === 'list'
      ? [
          {
            method: 'GET',
            setupRequest: (req) => ({
              ...req,
              path: `/employees?department=dept-${counter++ % 10}&limit=20`,
            }),
          },
        ]
      : route === 'get'
        ? [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/employees/${next()}` }) }]
        : [
            {
              method: 'PATCH',
              setupRequest: (req) => ({
                ...req,
                path: `/employees/${next()}`,
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ salary: 30_000 + (counter++ % 170_000) }),
              }),
            },
          ];
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections: request.connections, duration: request.durationS, requests, pipelining: 1 },
      (error, result) => {
        if (error) return reject(error);
        const elapsedS = result.duration || request.durationS;
        resolve({
          requestsPerSec: result['2xx'] / elapsedS,
          p50: result.latency.p50,
          p99: result.latency.p99,
          meanLatency: result.latency.average,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
      },
    );
  });
}

process.on('message', (message: LoadRequest & { seq: number }) => {
  run(message).then(
    (result) => process.send?.({ seq: message.seq, result }),
    (error: unknown) => process.send?.({ seq: message.seq, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
