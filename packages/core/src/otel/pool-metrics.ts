import type { Attributes, BatchObservableCallback, Meter } from '@opentelemetry/api';
import type { Pool } from '../pool/pool.js';
import type { PoolListener } from '../pool/pool-events.js';

/** Buckets for wait and use times, in seconds (OpenTelemetry's advice for these histograms). */
const TIME_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/**
 * The pool's figures as OpenTelemetry's connection-pool metrics, every one carrying
 * `db.client.connection.pool.name`: `db.client.connection.count` (by `db.client.connection.state`, idle or
 * used), `.max`, `.pending_requests` (observed from `pool.stats()` at each collection),
 * `.timeouts` (a counter), `.wait_time` and `.use_time` (histograms, in seconds, from the pool's
 * acquire and release events). `commonOf` is read at each point: the system's name may be learnt late
 * (see `systemNameOf`). Returns what removes them again.
 */
export function poolMetrics(meter: Meter, pool: Pool, commonOf: () => Attributes): () => void {
  const count = meter.createObservableUpDownCounter('db.client.connection.count', {
    unit: '{connection}',
    description: 'Connections open, by state (idle or used)',
  });
  const max = meter.createObservableUpDownCounter('db.client.connection.max', {
    unit: '{connection}',
    description: 'The most connections the pool opens',
  });
  const pending = meter.createObservableUpDownCounter('db.client.connection.pending_requests', {
    unit: '{request}',
    description: 'Callers waiting for a connection',
  });
  const timeouts = meter.createCounter('db.client.connection.timeouts', {
    unit: '{timeout}',
    description: 'Callers that gave up waiting for a connection',
  });
  const waitTime = meter.createHistogram('db.client.connection.wait_time', {
    unit: 's',
    description: 'Time to obtain a connection from the pool',
    advice: { explicitBucketBoundaries: TIME_BUCKETS },
  });
  const useTime = meter.createHistogram('db.client.connection.use_time', {
    unit: 's',
    description: 'Time between borrowing a connection and returning it',
    advice: { explicitBucketBoundaries: TIME_BUCKETS },
  });

  const observe: BatchObservableCallback = (result) => {
    const stats = pool.stats();
    const common = commonOf();
    result.observe(count, stats.idle, { ...common, 'db.client.connection.state': 'idle' });
    result.observe(count, stats.inUse, { ...common, 'db.client.connection.state': 'used' });
    result.observe(max, stats.max, common);
    result.observe(pending, stats.waiting, common);
  };
  meter.addBatchObservableCallback(observe, [count, max, pending]);
  const onAcquire: PoolListener<'acquire'> = (event) => waitTime.record(event.waitedMs / 1000, commonOf());
  const onRelease: PoolListener<'release'> = (event) => useTime.record(event.heldMs / 1000, commonOf());
  const onTimeout: PoolListener<'timeout'> = () => timeouts.add(1, commonOf());
  pool.on('acquire', onAcquire).on('release', onRelease).on('timeout', onTimeout);
  return () => {
    meter.removeBatchObservableCallback(observe, [count, max, pending]);
    pool.off('acquire', onAcquire).off('release', onRelease).off('timeout', onTimeout);
  };
}
