import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Capabilities } from '../driver/capabilities.js';
import type { Pool } from '../pool/pool.js';
import type { PoolStats } from '../pool/pool-stats.js';
import { PooledScope } from '../transaction/pooled-scope.js';
import type { Scope } from '../transaction/scope.js';
import { laterPosition, type ReplicationSupport } from '../driver/replication-support.js';

/** How long a replica that failed a read stays out of rotation before a read tries it again. */
export const REPLICA_RETRY_AFTER_MS = 2_000;

/**
 * With a lag bound (`maxReplicaLagMs`), how often a replica's lag is measured: by the first read given to it
 * after this long, before that read (one round trip per replica per interval). A replica found beyond the
 * bound leaves the rotation until a later measure finds it within.
 */
export const REPLICA_LAG_CHECK_INTERVAL_MS = 1_000;

/** One replica's figures, in `ReplicaStats`. */
export interface ReplicaMemberStats {
  /** Where it is, without credentials. */
  readonly name: string;
  /** Its own pool's snapshot (every replica has the full pool contract). */
  readonly pool: PoolStats;
  /** Reads it served. */
  readonly reads: number;
  /** Reads it could not serve (down, failing, slow), which the primary served instead. */
  readonly failures: number;
  /** False while it is out of rotation after a failure. */
  readonly available: boolean;
  /** True while its last measured lag was beyond the lag bound (or it was not replaying at all). */
  readonly beyondLagBound: boolean;
}

/**
 * One read replica: its own pool, whether it is in rotation, and the last replayed position seen, so a
 * reader already covered by it needs no round trip to ask again.
 */
export class ReplicaMember {
  readonly scope: PooledScope;
  #downUntil = 0;
  #replayed: string | undefined;
  #lagMeasuredAt = Number.NEGATIVE_INFINITY;
  #beyondLagBound = false;
  reads = 0;
  failures = 0;

  constructor(
    readonly name: string,
    readonly pool: Pool,
    capabilities: Capabilities,
    storage: AsyncLocalStorage<Scope>,
    readonly replication: ReplicationSupport,
  ) {
    this.scope = new PooledScope(pool, capabilities, storage);
  }

  /** In rotation: never failed, or failed long enough ago to be tried again (the probe is the next read). */
  get available(): boolean {
    // Served last (or never failed): no clock read, which every routed read would pay.
    return this.#downUntil === 0 || performance.now() >= this.#downUntil;
  }

  /** True when its lag should be measured before it serves a read (see `REPLICA_LAG_CHECK_INTERVAL_MS`). */
  get lagCheckDue(): boolean {
    return performance.now() - this.#lagMeasuredAt >= REPLICA_LAG_CHECK_INTERVAL_MS;
  }

  /** Out of rotation for lag: beyond the bound when last measured, and not due to be measured again. */
  get heldBackForLag(): boolean {
    return this.#beyondLagBound && !this.lagCheckDue;
  }

  /** Records a lag measure (`undefined`: not replaying) against the bound. */
  noteLag(lagMs: number | undefined, maxLagMs: number): void {
    this.#lagMeasuredAt = performance.now();
    this.#beyondLagBound = lagMs === undefined || lagMs > maxLagMs;
  }

  get beyondLagBound(): boolean {
    return this.#beyondLagBound;
  }

  /** Work given to it and not yet done: what "least outstanding" balances on. */
  get outstanding(): number {
    const stats = this.pool.stats();
    return stats.inUse + stats.waiting;
  }

  /** True when it is known to have replayed at least `position`, without asking. */
  covers(position: string): boolean {
    return this.#replayed !== undefined && this.replication.compare(this.#replayed, position) >= 0;
  }

  noteReplayed(position: string): void {
    this.#replayed =
      this.#replayed === undefined ? position : laterPosition(this.replication, this.#replayed, position);
  }

  markFailed(): void {
    this.failures += 1;
    this.#downUntil = performance.now() + REPLICA_RETRY_AFTER_MS;
  }

  markServed(): void {
    this.reads += 1;
    this.#downUntil = 0;
  }

  stats(): ReplicaMemberStats {
    return {
      name: this.name,
      pool: this.pool.stats(),
      reads: this.reads,
      failures: this.failures,
      available: this.available,
      beyondLagBound: this.#beyondLagBound,
    };
  }
}
