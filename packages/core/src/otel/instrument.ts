import { type Attributes, type MeterProvider, type TracerProvider, metrics, trace } from '@opentelemetry/api';
import type { Database } from '../database.js';
import { dbSystemName } from './db-system-name.js';
import { poolMetrics } from './pool-metrics.js';
import { querySpans } from './query-spans.js';
import { serverOfUrl } from './server-of-url.js';
import { transactionSpans } from './transaction-spans.js';

/** The instrumentation scope spans and metrics are recorded under. */
export const INSTRUMENTATION_NAME = '@berth/core';

export interface InstrumentOptions {
  /** Where spans go; default the global provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** Where metrics go; default the global provider (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider;
  /**
   * The URL the database was opened with: gives `server.address`, `server.port`, `db.namespace` and the
   * default pool name. Its user and password are never read into any attribute.
   */
  url?: string;
  /** `db.system.name`; default from the backend (`postgresql`, `mysql`, `mongodb`). Say `mariadb` for MariaDB. */
  dbSystemName?: string;
  /** `db.client.connection.pool.name`; default `<address>:<port>/<database>` from `url`, else the backend. */
  poolName?: string;
  /** Record spans (default true). */
  spans?: boolean;
  /** Record the pool metrics (default true). */
  metrics?: boolean;
}

/** What `instrument` returns: `stop()` removes every listener, wrapper and metric callback it added. */
export interface Instrumentation {
  stop(): void;
}

/**
 * Records what `db` does with OpenTelemetry, through `@opentelemetry/api` (an optional peer dependency:
 * only this entry point imports it, so berth works without it installed):
 * - a CLIENT span per statement or command, following the database semantic conventions
 *   (`db.system.name`, `db.operation.name`, `db.collection.name`, `db.query.text` with every literal value
 *   redacted, `server.address`, `server.port`, `db.namespace`), status ERROR and `error.type` on failure;
 * - a span `transaction` per transaction attempt, the parent of its statements' spans;
 * - the pool's OpenTelemetry connection-pool metrics (see `poolMetrics`).
 * Built on `db.on('query')`, `db.wrapTransactions` and the pool's events; with no SDK registered every
 * call is a no-op. Call it once per database, right after `connect`.
 */
export function instrument(db: Database, options: InstrumentOptions = {}): Instrumentation {
  const server = serverOfUrl(options.url);
  const common: Attributes = { 'db.system.name': options.dbSystemName ?? dbSystemName(db.backend) };
  if (server.address !== undefined) common['server.address'] = server.address;
  if (server.port !== undefined) common['server.port'] = server.port;
  if (server.namespace !== undefined) common['db.namespace'] = server.namespace;
  const stops: (() => void)[] = [];

  if (options.spans !== false) {
    const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
    const listener = querySpans(tracer, common);
    db.on('query', listener);
    stops.push(() => db.off('query', listener));
    stops.push(db.wrapTransactions(transactionSpans(tracer, common)));
  }
  if (options.metrics !== false) {
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME);
    const poolName =
      options.poolName ??
      (server.address === undefined
        ? db.backend
        : `${server.address}:${server.port}${server.namespace === undefined ? '' : `/${server.namespace}`}`);
    stops.push(
      poolMetrics(meter, db.pool, {
        'db.system.name': common['db.system.name'],
        'db.client.connection.pool.name': poolName,
      }),
    );
  }
  return {
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
