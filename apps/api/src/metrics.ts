import type { Database } from '@berth/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Pool and HTTP metrics of one app, in a registry of its own (several apps can live in one test process). */
export interface Metrics {
  readonly registry: Registry;
  /** Records one finished HTTP request. `route` is the route's pattern, never the raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Stops listening to the pool. */
  close(): void;
}

const ACQUIRE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(db: Database): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  // The gauges read `pool.stats()` when Prometheus scrapes, so they are never stale.
  const gauges: Array<[string, string, keyof ReturnType<Database['pool']['stats']>]> = [
    ['db_pool_max', 'Most connections the pool opens.', 'max'],
    ['db_pool_total', 'Connections open (idle, in use, or opening).', 'total'],
    ['db_pool_idle', 'Connections open and idle.', 'idle'],
    ['db_pool_in_use', 'Connections handed out to requests.', 'inUse'],
    ['db_pool_waiting', 'Requests waiting for a connection.', 'waiting'],
  ];
  for (const [name, help, key] of gauges) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(db.pool.stats()[key]);
      },
    });
  }

  const acquire = new Histogram({
    name: 'db_pool_acquire_seconds',
    help: 'Time a request waited for a pooled connection.',
    buckets: ACQUIRE_BUCKETS,
    registers: [registry],
  });
  const timeouts = new Counter({
    name: 'db_pool_timeouts_total',
    help: 'Requests that got no connection within DB_ACQUIRE_TIMEOUT_MS.',
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered.',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });

  const onAcquire = (event: { waitedMs: number }) => acquire.observe(event.waitedMs / 1000);
  const onTimeout = () => timeouts.inc();
  db.pool.on('acquire', onAcquire);
  db.pool.on('timeout', onTimeout);

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const labels = { method, route, status_code: String(status) };
      duration.observe(labels, seconds);
      requests.inc(labels);
    },
    close() {
      db.pool.off('acquire', onAcquire);
      db.pool.off('timeout', onTimeout);
    },
  };
}
