import { once } from 'node:events';
import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Database } from '@berth/core';
import { PGliteDriver } from '@berth/pglite';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { Employee, User } from './entities.js';
import { startTelemetry } from './telemetry.js';

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

describe('OpenTelemetry export (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('does nothing without an endpoint', async () => {
    // Nothing of the database is touched: no listener, no wrapper, no SDK loaded.
    const db = { on: () => expect.fail('instrumented'), pool: {} } as unknown as Database;
    expect(await startTelemetry(db, 'pglite://memory', {})).toBeUndefined();
    expect(await startTelemetry(db, 'pglite://memory', { OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
  });

  // PGlite starts a WebAssembly instance: slow on a loaded machine.
  it("posts berth's spans and pool metrics to the collector over OTLP/HTTP", {
    timeout: 120_000,
  }, async () => {
    // A collector on loopback that keeps what it is sent.
    const received: { path: string; body: string }[] = [];
    const collector = createServer(async (request, response) => {
      received.push({ path: request.url ?? '', body: await body(request) });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    closing.push(() => new Promise((resolve) => collector.close(resolve)));
    const { port } = collector.address() as AddressInfo;

    const db = await Database.open(new PGliteDriver({ pglite: new PGlite() }), {
      entities: [User, Employee],
    });
    closing.push(() => db.close());
    await db.ensureSchema();
    const telemetry = await startTelemetry(db, 'pglite://memory', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: 'api-under-test',
    });
    expect(telemetry).toBeDefined();
    await db.transaction(async (tx) => tx.repository(Employee).count());
    await telemetry!.shutdown();

    const traces = received
      .filter((r) => r.path === '/v1/traces')
      .map((r) => r.body)
      .join('\n');
    const metrics = received
      .filter((r) => r.path === '/v1/metrics')
      .map((r) => r.body)
      .join('\n');
    expect(traces).toContain('api-under-test');
    expect(traces).toContain('db.system.name');
    expect(traces).toContain('postgresql');
    expect(traces).toContain('"transaction"');
    expect(traces).toContain('SELECT employees');
    expect(metrics).toContain('db.client.connection.count');
    expect(metrics).toContain('db.client.connection.use_time');
  });
});
