/**
 * A snapshot of a pool. `total` counts physical connections open (idle, in use, or being opened);
 * `inUse` the ones berth has handed out; `waiting` the callers queued for one.
 */
export interface PoolStats {
  readonly max: number;
  readonly total: number;
  readonly idle: number;
  readonly inUse: number;
  readonly waiting: number;
}
