import { type Attributes, type MeterProvider, type TracerProvider, metrics, trace } from '@opentelemetry/api';
import type { Database } from '../database.js';
import { systemNameOf, withSystemName } from './db-system-name.js';
import { poolMetrics } from './pool-metrics.js';
import { querySpans } from './query-spans.js';
import { flushSpans } from './flush-spans.js';
import { poolNameOf, serverAttributes } from './server-of-url.js';
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
  /**
   * `db.system.name`. Default: what the driver learnt from the server (the MySQL adapter says `mariadb` or
   * `mysql` from `VERSION()` once it has connected), else `mariadb` for a `mariadb://` `url`, else the
   * backend's (`postgresql`, `mysql`, `mongodb`).
   */
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
 * - a span `flush` per unit-of-work flush, the parent of its statements (its transaction's BEGIN, writes
 *   and COMMIT);
 * - the pool's OpenTelemetry connection-pool metrics (see `poolMetrics`), and each read replica's pool's,
 *   every series naming its pool and its server (`server.address`, `server.port`); statements a replica
 *   ran name the replica in their spans.
 * Built on `db.on('query')`, `db.wrapTransactions` and the pool's events; with no SDK registered every
 * call is a no-op. Call it once per database, right after `connect`.
 */
export function instrument(db: Database, options: InstrumentOptions = {}): Instrumentation {
  const system = systemNameOf({
    told: options.dbSystemName,
    learnt: () => db.serverSystem(),
    url: options.url,
    backend: db.backend,
  });
  const server = serverAttributes(options.url);
  const common = withSystemName(system, (name): Attributes => ({ 'db.system.name': name, ...server }));
  const stops: (() => void)[] = [];

  if (options.spans !== false) {
    const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
    const listener = querySpans(tracer, common);
    db.on('query', listener);
    stops.push(() => db.off('query', listener));
    stops.push(db.wrapTransactions(transactionSpans(tracer, common)));
    stops.push(db.wrapFlushes(flushSpans(tracer, common)));
  }
  if (options.metrics !== false) {
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME);
    const where = (url: string | undefined) => {
      const { 'db.namespace': _namespace, ...rest } = serverAttributes(url);
      return rest;
    };
    const poolName = options.poolName ?? poolNameOf(options.url, db.backend);
    stops.push(
      poolMetrics(
        meter,
        db.pool,
        withSystemName(system, (name) => ({
          'db.system.name': name,
          'db.client.connection.pool.name': poolName,
          ...where(options.url),
        })),
      ),
    );
    // Each read replica's pool is a pool of its own, on its own server.
    for (const replica of db.replicaPools()) {
      stops.push(
        poolMetrics(
          meter,
          replica.pool,
          withSystemName(system, (name) => ({
            'db.system.name': name,
            'db.client.connection.pool.name': poolNameOf(replica.name, replica.name),
            ...where(replica.name),
          })),
        ),
      );
    }
  }
  return {
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
