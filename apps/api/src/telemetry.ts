import type { Database } from '@berth/core';

/** What `startTelemetry` started: `shutdown()` flushes what is buffered and stops the exporters. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Exports berth's OpenTelemetry spans and pool metrics (`@berth/core/otel`) over OTLP/HTTP when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set; otherwise does nothing and loads none of the SDK. Spans go to
 * `<endpoint>/v1/traces` and metrics to `<endpoint>/v1/metrics` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` /
 * `_METRICS_ENDPOINT`); the exporters read the other `OTEL_EXPORTER_OTLP_*` variables (headers, timeout);
 * `OTEL_SERVICE_NAME` names the service (default `berth-api`). `url` gives the spans their
 * `server.address`/`server.port` (never its credentials).
 */
export async function startTelemetry(
  db: Database,
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Telemetry | undefined> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  // As the OTLP exporter specification says: the base endpoint plus the signal's path, unless a
  // signal-specific endpoint is given (read here from `env`, so what the caller passed is what is used).
  const base = endpoint.replace(/\/+$/, '');
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || `${base}/v1/traces`;
  const metricsUrl = env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT || `${base}/v1/metrics`;
  const [api, hooks, traceSdk, metricsSdk, resources, traceExporter, metricExporter, otel] =
    await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/sdk-metrics'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@berth/core/otel'),
    ]);
  const resource = resources.resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'berth-api' });
  const tracerProvider = new traceSdk.BasicTracerProvider({
    resource,
    spanProcessors: [
      new traceSdk.BatchSpanProcessor(new traceExporter.OTLPTraceExporter({ url: tracesUrl })),
    ],
  });
  const meterProvider = new metricsSdk.MeterProvider({
    resource,
    readers: [
      new metricsSdk.PeriodicExportingMetricReader({
        exporter: new metricExporter.OTLPMetricExporter({ url: metricsUrl }),
        exportIntervalMillis: Number(env.OTEL_METRIC_EXPORT_INTERVAL) || 60_000,
      }),
    ],
  });
  // Spans find their parent (a transaction's span) through the async context.
  api.context.setGlobalContextManager(new hooks.AsyncLocalStorageContextManager().enable());
  const instrumentation = otel.instrument(db, { tracerProvider, meterProvider, url });
  return {
    async shutdown() {
      // Exported while still instrumented: the pool's observed gauges are read at this last collection.
      await Promise.allSettled([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
      instrumentation.stop();
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
