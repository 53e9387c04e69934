// The OpenTelemetry cases an SQL adapter runs with a real read replica (see otel-cases.ts for why they live here).
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/database.js';
import { type Entity, defineEntity } from '../../src/entity/define-entity.js';
import { field } from '../../src/entity/field.js';
import { instrument } from '../../src/otel/index.js';

const Probe = defineEntity('otel_replica_probes', { id: field.id(), label: field.string({ max: 40 }) });

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** What an adapter with a real replica hands these cases. */
export interface OtelReplicaTarget {
  readonly name: string;
  /** `db.system.name`. */
  readonly system: string;
  /** The primary's URL (given to `instrument`) and the replica's name as the database reports it. */
  readonly primaryUrl: string;
  readonly replicaUrl: string;
  /** Opens a database on the primary with the replica (named `replicaName`), `Probe`'s schema ensured. */
  open(entities: readonly Entity[], replicaName: string): Promise<Database>;
  /** Resolves once the replica has replayed every write the primary made so far. */
  caughtUp(db: Database): Promise<void>;
  /** Why the replica cannot be used, or `undefined`. */
  readonly unusable: string | undefined;
}

/**
 * `@berth/core/otel` with a read replica configured: the replica's pool has its own connection-pool
 * metrics, each series naming its server, and a statement the replica ran names the replica in its span,
 * not the primary.
 */
export function otelReplicaCases(target: OtelReplicaTarget): void {
  describe.skipIf(target.unusable !== undefined)(`OpenTelemetry with a read replica: ${target.name}`, () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const reader = new TestReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const contextManager = new AsyncLocalStorageContextManager();
    let db: Database;
    let stop: () => void;
    const primary = new URL(target.primaryUrl);
    const replica = new URL(target.replicaUrl);
    const database = primary.pathname.slice(1);
    const replicaName = `${replica.protocol}//${replica.host}/${database}`;

    beforeAll(async () => {
      context.setGlobalContextManager(contextManager.enable());
      db = await target.open([Probe], replicaName);
      stop = instrument(db, { tracerProvider, meterProvider, url: target.primaryUrl }).stop;
    }, 60_000);
    afterAll(async () => {
      stop?.();
      await db?.close();
      context.disable();
      await meterProvider.shutdown();
    });

    it('a read the replica served names the replica in its span; the write names the primary', async () => {
      const row = await db.repository(Probe).insert({ label: 'seen' });
      // Wait until the replica has replayed the write, so the read is routed there.
      await target.caughtUp(db);
      exporter.reset();
      const before = db.replicaStats()!.replicaReads;
      expect(await db.repository(Probe).findById(row.id)).toEqual(row);
      expect(db.replicaStats()!.replicaReads).toBe(before + 1);
      const select = exporter.getFinishedSpans().filter((s) => s.name === 'SELECT otel_replica_probes');
      expect(select).toHaveLength(1);
      expect(select[0]!.attributes).toMatchObject({
        'server.address': replica.hostname,
        'server.port': Number(replica.port),
        'db.namespace': database,
        'berth.replica': replicaName,
      });
      exporter.reset();
      await db.repository(Probe).insert({ label: 'primary' });
      const insert = exporter.getFinishedSpans().find((s) => s.name === 'INSERT otel_replica_probes')!;
      expect(insert.attributes['server.port']).toBe(Number(primary.port));
      expect(insert.attributes['berth.replica']).toBeUndefined();
    });

    it('the pool metrics come per server: the primary’s pool and the replica’s, each naming its server', async () => {
      const { resourceMetrics } = await reader.collect();
      const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
      const series = (name: string) => all.find((m) => m.descriptor.name === name)!.dataPoints;
      const max = series('db.client.connection.max');
      const byPool = new Map(max.map((p) => [p.attributes['db.client.connection.pool.name'], p]));
      const primaryName = `${primary.hostname}:${primary.port}/${database}`;
      const replicaName = `${replica.hostname}:${replica.port}/${database}`;
      expect([...byPool.keys()].sort()).toEqual([primaryName, replicaName].sort());
      expect(byPool.get(replicaName)!.attributes).toMatchObject({
        'server.address': replica.hostname,
        'server.port': Number(replica.port),
        'db.system.name': target.system,
      });
      expect(byPool.get(primaryName)!.attributes['server.port']).toBe(Number(primary.port));
      // The replica served a read: its wait and use times were recorded under its own pool.
      const use = series('db.client.connection.use_time').find(
        (p) => p.attributes['db.client.connection.pool.name'] === replicaName,
      );
      expect(use).toBeDefined();
      const states = series('db.client.connection.count')
        .filter((p) => p.attributes['db.client.connection.pool.name'] === replicaName)
        .map((p) => p.attributes['db.client.connection.state'])
        .sort();
      expect(states).toEqual(['idle', 'used']);
    });
  });
}
