// The OpenTelemetry cases every SQL adapter package runs against its own backend (PGlite, PostgreSQL):
// real statements, the SDK's in-memory span exporter and a metric reader. They live beside core, which owns
// `@berth/core/otel` and has the SDK as a dev dependency; adapters import them by path.
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/database.js';
import { defineEntity } from '../../src/entity/define-entity.js';
import { field } from '../../src/entity/field.js';
import { PoolTimeoutError } from '../../src/errors/pool-timeout-error.js';
import { UniqueViolationError } from '../../src/errors/unique-violation-error.js';
import { sql } from '../../src/index.js';
import { instrument } from '../../src/otel/index.js';

/** The entity these cases write. */
export const Secret = defineEntity('otel_secrets', {
  id: field.id(),
  owner: field.string({ max: 60 }).unique(),
  token: field.string({ max: 60 }),
  version: field.version(),
});

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface OtelTarget {
  readonly name: string;
  /**
   * A database on the backend with a pool of `poolMax` and `acquireTimeoutMs` 1000, `Secret`'s schema
   * ensured, and its URL for `instrument`.
   */
  open(): Promise<{ db: Database; url?: string }>;
  /** `server.address` / `server.port` the spans must carry; absent for an embedded database. */
  readonly server?: { address: string; port: number };
  /** The value of `db.system.name`. */
  readonly system: string;
  /** The pool's `max` (PGlite has one connection). */
  readonly poolMax: number;
}

const SECRET = 'tok-SHOULD-NEVER-APPEAR';

export function otelCases(target: OtelTarget): void {
  describe(`OpenTelemetry spans and pool metrics: ${target.name}`, () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = tracerProvider.getTracer('test');
    const reader = new TestReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const contextManager = new AsyncLocalStorageContextManager();
    let db: Database;
    let url: string | undefined;
    let stop: () => void;

    beforeAll(async () => {
      context.setGlobalContextManager(contextManager.enable());
      ({ db, url } = await target.open());
      stop = instrument(db, { tracerProvider, meterProvider, ...(url ? { url } : {}) }).stop;
    });
    afterEach(async () => {
      await db.repository(Secret).deleteMany({});
      exporter.reset();
    });
    afterAll(async () => {
      stop?.();
      await db?.close();
      context.disable();
      await meterProvider.shutdown();
    });

    const spans = () => exporter.getFinishedSpans();
    const named = (name: string) => spans().filter((s) => s.name === name);
    const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

    it('one CLIENT span per statement, with the database semantic conventions', async () => {
      await db.repository(Secret).insert({ owner: 'ann', token: SECRET });
      await db.repository(Secret).find({ where: { owner: 'ann' } });
      const insert = named('INSERT otel_secrets')[0]!;
      const select = named('SELECT otel_secrets')[0]!;
      expect(insert.kind).toBe(SpanKind.CLIENT);
      expect(insert.attributes).toMatchObject({
        'db.system.name': target.system,
        'db.operation.name': 'INSERT',
        'db.collection.name': 'otel_secrets',
        'db.response.returned_rows': 1,
      });
      expect(String(insert.attributes['db.query.text'])).toMatch(/^INSERT INTO "otel_secrets"/);
      expect(select.attributes['db.operation.name']).toBe('SELECT');
      if (target.server) {
        expect(insert.attributes['server.address']).toBe(target.server.address);
        expect(insert.attributes['server.port']).toBe(target.server.port);
      } else expect(insert.attributes['server.address']).toBeUndefined();
      expect(insert.status.code).toBe(SpanStatusCode.UNSET);
      // Timed from the statement: it ends after it starts, within the test's life.
      const [s, e] = [insert.startTime, insert.endTime];
      expect(e[0] * 1e9 + e[1]).toBeGreaterThanOrEqual(s[0] * 1e9 + s[1]);
    });

    it('inside a transaction, the statements are children of its span, itself a child of the caller', async () => {
      await tracer.startActiveSpan('request', async (request) => {
        await db.transaction(async (tx) => {
          await tx.repository(Secret).insert({ owner: 'bob', token: SECRET });
          await tx.transaction(async (inner) => {
            await inner.repository(Secret).count();
          });
        });
        request.end();
      });
      const request = named('request')[0]!;
      const [outer, nested] = [...named('transaction')].sort((a, b) =>
        a.attributes['berth.transaction.nested'] ? 1 : b.attributes['berth.transaction.nested'] ? -1 : 0,
      );
      expect(outer!.attributes).toMatchObject({
        'berth.transaction.nested': false,
        'berth.transaction.attempt': 1,
        'db.system.name': target.system,
      });
      expect(parentOf(outer!)).toBe(request.spanContext().spanId);
      expect(parentOf(nested!)).toBe(outer!.spanContext().spanId);
      for (const name of ['BEGIN', 'INSERT otel_secrets', 'COMMIT'])
        expect(parentOf(named(name)[0]!), name).toBe(outer!.spanContext().spanId);
      expect(parentOf(named('SELECT otel_secrets')[0]!)).toBe(nested!.spanContext().spanId);
      expect(named('SAVEPOINT').length).toBe(1);
      expect(parentOf(named('SAVEPOINT')[0]!)).toBe(nested!.spanContext().spanId);
      for (const span of spans()) expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
    });

    it('a failed statement and its rolled-back transaction end with status ERROR and error.type', async () => {
      await db.repository(Secret).insert({ owner: 'cy', token: 'a' });
      exporter.reset();
      await expect(
        db.transaction(async (tx) => {
          await tx.repository(Secret).insert({ owner: 'cy', token: 'b' });
        }),
      ).rejects.toBeInstanceOf(UniqueViolationError);
      const failed = named('INSERT otel_secrets')[0]!;
      expect(failed.status.code).toBe(SpanStatusCode.ERROR);
      expect(failed.attributes['error.type']).toBe('UNIQUE_VIOLATION');
      expect(failed.events.some((e) => e.name === 'exception')).toBe(true);
      const transaction = named('transaction')[0]!;
      expect(transaction.status.code).toBe(SpanStatusCode.ERROR);
      expect(transaction.attributes['error.type']).toBe('UNIQUE_VIOLATION');
      expect(named('ROLLBACK')).toHaveLength(1);
    });

    it("a unit-of-work flush is a span: its transaction's statements are its children", async () => {
      const existing = await db.repository(Secret).insert({ owner: 'flo', token: 'x' });
      exporter.reset();
      await tracer.startActiveSpan('request', async (request) => {
        const uow = db.unitOfWork();
        const row = (await uow.findById(Secret, existing.id))!;
        row.token = 'y';
        uow.persist(Secret, { owner: 'flo-2', token: 'z' });
        await uow.flush();
        // Nothing left to write: no flush span, no statement.
        await uow.flush();
        request.end();
      });
      const [flush, ...more] = named('flush');
      expect(more).toEqual([]);
      expect(flush!.kind).toBe(SpanKind.INTERNAL);
      expect(flush!.attributes).toMatchObject({
        'db.system.name': target.system,
        'berth.flush.inserts': 1,
        'berth.flush.updates': 1,
        'berth.flush.deletes': 0,
      });
      expect(parentOf(flush!)).toBe(named('request')[0]!.spanContext().spanId);
      // The flush's transaction is its own (not a `db.transaction`): BEGIN, the writes and COMMIT are the
      // flush span's children.
      expect(named('transaction')).toEqual([]);
      for (const name of ['BEGIN', 'UPDATE otel_secrets', 'INSERT otel_secrets', 'COMMIT'])
        expect(parentOf(named(name)[0]!), name).toBe(flush!.spanContext().spanId);
      // The read before it is the request's, not the flush's.
      expect(parentOf(named('SELECT otel_secrets')[0]!)).toBe(named('request')[0]!.spanContext().spanId);
    });

    it('a failed flush ends its span with status ERROR and error.type', async () => {
      await db.repository(Secret).insert({ owner: 'taken', token: 'a' });
      exporter.reset();
      const uow = db.unitOfWork();
      uow.persist(Secret, { owner: 'taken', token: 'b' });
      await expect(uow.flush()).rejects.toBeInstanceOf(UniqueViolationError);
      const flush = named('flush')[0]!;
      expect(flush.status.code).toBe(SpanStatusCode.ERROR);
      expect(flush.attributes['error.type']).toBe('UNIQUE_VIOLATION');
    });

    it('values never reach db.query.text: bound ones are placeholders, literals written in raw SQL are redacted', async () => {
      await db.repository(Secret).insert({ owner: 'dee', token: SECRET });
      await db.repository(Secret).update((await db.repository(Secret).findOne({ owner: 'dee' }))!.id, {
        token: `${SECRET}-2`,
      });
      await db.sql`SELECT ${sql.id('owner')} FROM ${sql.id('otel_secrets')} WHERE token = ${SECRET} AND owner <> 'literal-secret' AND 4242 > 1`;
      const texts = spans().map((s) => String(s.attributes['db.query.text'] ?? ''));
      const everything = JSON.stringify(spans().map((s) => s.attributes));
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toContain('literal-secret');
      expect(everything).not.toContain('4242');
      expect(texts.some((t) => t.includes('owner <> ? AND ? > ?'))).toBe(true);
    });

    it('the pool metrics: connection count by state, max, pending requests, wait and use times, timeouts', async () => {
      await db.repository(Secret).count();
      await db.repository(Secret).count();
      const { resourceMetrics } = await reader.collect();
      const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
      const metric = (name: string) => all.find((m) => m.descriptor.name === name);
      const count = metric('db.client.connection.count')!;
      const states = count.dataPoints.map((p) => p.attributes['db.client.connection.state']).sort();
      expect(states).toEqual(['idle', 'used']);
      for (const point of count.dataPoints)
        expect(point.attributes['db.client.connection.pool.name']).toBeTypeOf('string');
      expect(metric('db.client.connection.max')!.dataPoints[0]!.value).toBe(target.poolMax);
      expect(metric('db.client.connection.pending_requests')!.dataPoints[0]!.value).toBe(0);
      const wait = metric('db.client.connection.wait_time')!;
      expect(wait.descriptor.unit).toBe('s');
      const waitPoint = wait.dataPoints[0] as DataPoint<Histogram>;
      expect(waitPoint.value.count).toBeGreaterThanOrEqual(2);
      const use = metric('db.client.connection.use_time')!.dataPoints[0] as DataPoint<Histogram>;
      expect(use.value.count).toBeGreaterThanOrEqual(2);
      expect(use.value.sum).toBeGreaterThan(0);

      // Hold every connection, then ask for one more: it waits out the pool's short deadline, a timeout.
      const held = [];
      for (let i = 0; i < target.poolMax; i++) held.push(await db.pool.acquire());
      try {
        const inUse = (await reader.collect()).resourceMetrics.scopeMetrics
          .flatMap((s) => s.metrics)
          .find((m) => m.descriptor.name === 'db.client.connection.count')!
          .dataPoints.find((p) => p.attributes['db.client.connection.state'] === 'used')!;
        expect(inUse.value).toBe(target.poolMax);
        await expect(db.pool.acquire()).rejects.toBeInstanceOf(PoolTimeoutError);
      } finally {
        for (const lease of held) await db.pool.release(lease);
      }
      const after = (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
      const timeouts = after.find((m) => m.descriptor.name === 'db.client.connection.timeouts')!;
      expect(timeouts.dataPoints[0]!.value).toBe(1);
    });

    it('stop() removes the instrumentation: nothing more is recorded', async () => {
      const other = instrument(db, { tracerProvider, meterProvider: new MeterProvider() });
      other.stop();
      stop();
      await db.repository(Secret).count();
      await db.transaction(async (tx) => tx.repository(Secret).count());
      expect(spans()).toEqual([]);
      stop = instrument(db, { tracerProvider, meterProvider, ...(url ? { url } : {}) }).stop;
      expect(trace.getActiveSpan()).toBeUndefined();
    });
  });
}
