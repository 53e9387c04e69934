// Records what `instrument(db)` makes, for an adapter's own OpenTelemetry tests (adapters have no
// OpenTelemetry SDK of their own: this file resolves it from core, which has it as a dev dependency).
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Database } from '../../src/database.js';
import { type InstrumentOptions, instrument } from '../../src/otel/index.js';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** What `recordSpans` hands back. */
export interface SpanRecorder {
  /** The spans ended so far. */
  spans(): ReadableSpan[];
  /** Each metric data point's attributes collected now, by metric name. */
  metricAttributes(): Promise<Map<string, Record<string, unknown>[]>>;
  /** Removes the instrumentation and the context manager. */
  stop(): Promise<void>;
}

/** Instruments `db` with an in-memory span exporter, a metric reader and an async context manager. */
export function recordSpans(
  db: Database,
  options: Omit<InstrumentOptions, 'tracerProvider' | 'meterProvider'> = {},
): SpanRecorder {
  const contextManager = new AsyncLocalStorageContextManager();
  context.setGlobalContextManager(contextManager.enable());
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = instrument(db, { ...options, tracerProvider, meterProvider });
  return {
    spans: () => exporter.getFinishedSpans(),
    async metricAttributes() {
      const { resourceMetrics } = await reader.collect();
      const byName = new Map<string, Record<string, unknown>[]>();
      for (const metric of resourceMetrics.scopeMetrics.flatMap((s) => s.metrics))
        byName.set(
          metric.descriptor.name,
          metric.dataPoints.map((p) => ({ ...p.attributes })),
        );
      return byName;
    },
    async stop() {
      instrumentation.stop();
      context.disable();
      await meterProvider.shutdown();
    },
  };
}
