// The OpenTelemetry cases every adapter package runs against its own backend (PGlite, PostgreSQL,
// MySQL/MariaDB, MongoDB): real statements, the SDK's in-memory span exporter and a metric reader. They live
// beside core, which owns `@berth/core/otel` and has the SDK as a dev dependency; adapters import them by
// path. What differs between backends (the names of the operations and of transaction control, the text of
// a statement, raw SQL) the target states; every assertion is as strict on each backend.
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

/** A capability the backend lacks: the cases needing it are skipped with this reason in their title. */
export interface Unsupported {
  readonly unsupported: string;
}

/**
 * What the backend sends for the cases' calls. Spans are named `<operation> <collection>`, or the
 * operation alone for transaction control and raw SQL, so these are what the cases look spans up by.
 */
export interface OtelStatements {
  /** The operation of an entity insert (`INSERT`; MongoDB `insert`). */
  readonly insert: string;
  /** The operation of a find and of a find by id (`SELECT`; `find`). */
  readonly find: string;
  /** The operation of a count (`SELECT`; `countDocuments`). */
  readonly count: string;
  /** The operation of a unit of work's versioned update (`UPDATE`; `updateOne`). */
  readonly update: string;
  /**
   * How `db.query.text` of an insert of a `Secret` starts: the statement with the backend's identifier
   * quoting (`INSERT INTO "otel_secrets"`), or MongoDB's command and collection.
   */
  readonly insertText: string;
  /** The operations of transaction control: `BEGIN`, `COMMIT`, `ROLLBACK` (MySQL's BEGIN is `START`). */
  readonly begin: string;
  readonly commit: string;
  readonly rollback: string;
  /** The operation of the savepoint a nested transaction sets (`SAVEPOINT`), or why there is none. */
  readonly savepoint: string | Unsupported;
  /** `true` when `db.sql` runs raw SQL, or why it does not. */
  readonly rawSql: true | Unsupported;
}

/**
 * An SQL backend's statements: its identifier `quote` (`"t"`, `` `t` ``) and what its BEGIN is reported as
 * (the statement's first keyword).
 */
export function sqlStatements(options: { quote: (name: string) => string; begin: string }): OtelStatements {
  return {
    insert: 'INSERT',
    find: 'SELECT',
    count: 'SELECT',
    update: 'UPDATE',
    insertText: `INSERT INTO ${options.quote(Secret.name)}`,
    begin: options.begin,
    commit: 'COMMIT',
    rollback: 'ROLLBACK',
    savepoint: 'SAVEPOINT',
    rawSql: true,
  };
}

const unsupported = (value: unknown): value is Unsupported =>
  typeof value === 'object' && value !== null && 'unsupported' in value;

/**
 * A case's title, saying what the backend cannot do and why where it lacks something: `skipped` for a
 * case that cannot run at all, else what part of the case is left out.
 */
function titled(title: string, lacking: unknown, left = 'skipped'): string {
  return unsupported(lacking) ? `${title} (${left}: ${lacking.unsupported})` : title;
}

export interface OtelTarget {
  readonly name: string;
  /**
   * A database on the backend with a pool of `poolMax` and `acquireTimeoutMs` 1000, `Secret`'s schema
   * ensured, its URL for `instrument`, and the `server.address` / `server.port` the spans must carry
   * (absent for an embedded database).
   */
  open(): Promise<{ db: Database; url?: string; server?: { address: string; port: number } }>;
  /** The value of `db.system.name`. */
  readonly system: string;
  /** The pool's `max` (PGlite has one connection). */
  readonly poolMax: number;
  /** What the backend sends. */
  readonly statements: OtelStatements;
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
    let server: { address: string; port: number } | undefined;
    let stop: () => void;

    beforeAll(async () => {
      context.setGlobalContextManager(contextManager.enable());
      ({ db, url, server } = await target.open());
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
    const st = target.statements;
    const on = (operation: string) => `${operation} ${Secret.name}`;
    /** The one span named `name`: a missing or repeated one fails here, naming it. */
    const one = (name: string) => {
      const found = named(name);
      expect(
        found.map((s) => s.name),
        name,
      ).toEqual([name]);
      return found[0]!;
    };

    it('one CLIENT span per statement, with the database semantic conventions', async () => {
      await db.repository(Secret).insert({ owner: 'ann', token: SECRET });
      await db.repository(Secret).find({ where: { owner: 'ann' } });
      const insert = one(on(st.insert));
      const select = one(on(st.find));
      expect(insert.kind).toBe(SpanKind.CLIENT);
      expect(insert.attributes).toMatchObject({
        'db.system.name': target.system,
        'db.operation.name': st.insert,
        'db.collection.name': 'otel_secrets',
        'db.response.returned_rows': 1,
      });
      expect(String(insert.attributes['db.query.text']).startsWith(st.insertText), st.insertText).toBe(true);
      expect(select.attributes['db.operation.name']).toBe(st.find);
      if (server) {
        expect(insert.attributes['server.address']).toBe(server.address);
        expect(insert.attributes['server.port']).toBe(server.port);
      } else expect(insert.attributes['server.address']).toBeUndefined();
      expect(insert.status.code).toBe(SpanStatusCode.UNSET);
      // Timed from the statement: it ends after it starts, within the test's life.
      const [s, e] = [insert.startTime, insert.endTime];
      expect(e[0] * 1e9 + e[1]).toBeGreaterThanOrEqual(s[0] * 1e9 + s[1]);
    });

    it(
      titled(
        'inside a transaction, the statements are children of its span, itself a child of the caller; a nested one sets a savepoint',
        st.savepoint,
        'no savepoint',
      ),
      async () => {
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
        for (const name of [st.begin, on(st.insert), st.commit])
          expect(parentOf(one(name)), name).toBe(outer!.spanContext().spanId);
        // A COMMIT returns no rows (MySQL's shares its packet with its commit marker, whose result is berth's).
        expect(one(st.commit).attributes['db.response.returned_rows']).toBe(0);
        expect(parentOf(one(on(st.count)))).toBe(nested!.spanContext().spanId);
        const underNested = spans().filter((s) => parentOf(s) === nested!.spanContext().spanId);
        if (unsupported(st.savepoint)) {
          // No savepoint to set: the nested transaction's only statement is its count.
          expect(underNested.map((s) => s.name)).toEqual([on(st.count)]);
        } else {
          expect(parentOf(one(st.savepoint))).toBe(nested!.spanContext().spanId);
          expect(underNested.map((s) => s.name)).toContain(st.savepoint);
        }
        for (const span of spans()) expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
      },
    );

    it('a failed statement and its rolled-back transaction end with status ERROR and error.type', async () => {
      await db.repository(Secret).insert({ owner: 'cy', token: 'a' });
      exporter.reset();
      await expect(
        db.transaction(async (tx) => {
          await tx.repository(Secret).insert({ owner: 'cy', token: 'b' });
        }),
      ).rejects.toBeInstanceOf(UniqueViolationError);
      const failed = one(on(st.insert));
      expect(failed.status.code).toBe(SpanStatusCode.ERROR);
      expect(failed.attributes['error.type']).toBe('UNIQUE_VIOLATION');
      expect(failed.events.some((e) => e.name === 'exception')).toBe(true);
      const transaction = one('transaction');
      expect(transaction.status.code).toBe(SpanStatusCode.ERROR);
      expect(transaction.attributes['error.type']).toBe('UNIQUE_VIOLATION');
      expect(parentOf(one(st.rollback))).toBe(transaction.spanContext().spanId);
      expect(named(st.commit)).toEqual([]);
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
      for (const name of [st.begin, on(st.update), on(st.insert), st.commit])
        expect(parentOf(one(name)), name).toBe(flush!.spanContext().spanId);
      // The read before it is the request's, not the flush's.
      expect(parentOf(one(on(st.find)))).toBe(one('request').spanContext().spanId);
    });

    it('a failed flush ends its span with status ERROR and error.type', async () => {
      await db.repository(Secret).insert({ owner: 'taken', token: 'a' });
      exporter.reset();
      const uow = db.unitOfWork();
      uow.persist(Secret, { owner: 'taken', token: 'b' });
      await expect(uow.flush()).rejects.toBeInstanceOf(UniqueViolationError);
      const flush = one('flush');
      expect(parentOf(one(st.rollback))).toBe(flush.spanContext().spanId);
      expect(flush.status.code).toBe(SpanStatusCode.ERROR);
      expect(flush.attributes['error.type']).toBe('UNIQUE_VIOLATION');
    });

    it('bound values never reach a span: not in db.query.text, nor in any other attribute', async () => {
      const row = await db.repository(Secret).insert({ owner: 'dee', token: SECRET });
      await db.repository(Secret).update(row.id, { token: `${SECRET}-2` });
      await db.repository(Secret).find({ where: { token: `${SECRET}-2` } });
      await db.transaction((tx) => tx.repository(Secret).update(row.id, { token: `${SECRET}-3` }));
      const uow = db.unitOfWork();
      (await uow.findById(Secret, row.id))!.token = `${SECRET}-4`;
      await uow.flush();
      expect(await db.repository(Secret).findById(row.id)).toMatchObject({ token: `${SECRET}-4` });
      // Every call above made its spans, and none carries a value.
      expect(named(on(st.insert))).toHaveLength(1);
      expect(named('flush')).toHaveLength(1);
      expect(named('transaction')).toHaveLength(1);
      const everything = JSON.stringify(spans().map((s) => [s.name, s.attributes, s.events]));
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toContain(row.id);
    });

    it.skipIf(unsupported(st.rawSql))(
      titled('literals written into raw SQL are redacted in db.query.text', st.rawSql),
      async () => {
        await db.sql`SELECT ${sql.id('owner')} FROM ${sql.id('otel_secrets')} WHERE token = ${SECRET} AND owner <> 'literal-secret' AND 4242 > 1`;
        // Raw SQL names no collection: its span is the operation alone.
        const raw = one('SELECT');
        expect(raw.attributes['db.collection.name']).toBeUndefined();
        expect(String(raw.attributes['db.query.text'])).toContain('owner <> ? AND ? > ?');
        const everything = JSON.stringify(spans().map((s) => [s.name, s.attributes, s.events]));
        expect(everything).not.toContain(SECRET);
        expect(everything).not.toContain('literal-secret');
        expect(everything).not.toContain('4242');
      },
    );

    it('the pool metrics: connection count by state, max, pending requests, wait and use times, timeouts', async () => {
      await db.repository(Secret).count();
      await db.repository(Secret).count();
      const { resourceMetrics } = await reader.collect();
      const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
      const metric = (name: string) => all.find((m) => m.descriptor.name === name);
      const count = metric('db.client.connection.count')!;
      const states = count.dataPoints.map((p) => p.attributes['db.client.connection.state']).sort();
      expect(states).toEqual(['idle', 'used']);
      for (const point of count.dataPoints) {
        expect(point.attributes['db.client.connection.pool.name']).toBeTypeOf('string');
        expect(point.attributes['db.system.name']).toBe(target.system);
      }
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
