/**
 * A snapshot of a pool. `total` counts physical connections open (idle, in use, or being opened);
 * `inUse` the ones berth has handed out; `waiting` the callers queued for one.
 */
export interface PoolStats {
  /** Most connections the pool may hold (the driver's `max`). */
  readonly max: number;
  /** Physical connections open: idle, in use, or being opened. */
  readonly total: number;
  /** Of those, the ones waiting to be handed out. */
  readonly idle: number;
  /** Of those, the ones handed out and not yet given back. */
  readonly inUse: number;
  /** Callers queued for a connection. */
  readonly waiting: number;
}
