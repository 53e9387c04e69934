/** The pool contract's knobs. Every default is safe: nothing waits forever. */
export interface PoolOptions {
  /** Longest a caller waits for a connection before `PoolTimeoutError` (default 5 000 ms; must be finite). */
  acquireTimeoutMs?: number;
  /** Most callers allowed to wait at once; one more fails at once with `PoolTimeoutError` (default unbounded). */
  maxWaiters?: number;
  /** A connection idle for longer than this is pinged before it is handed out (default 1 000 ms). */
  validateAfterIdleMs?: number;
  /**
   * A connection held for longer than this fires a `leak` event carrying the acquirer's stack, and is logged
   * with `console.warn` when nobody listens (default 30 000 ms; 0 disables). Capturing the stack costs a
   * little on every acquire, so it is only captured while this is enabled.
   */
  leakDetectionThresholdMs?: number;
  /** How long `close()` waits for work in flight before ending the pool anyway (default 10 000 ms). */
  closeTimeoutMs?: number;
}

export const POOL_DEFAULTS = {
  acquireTimeoutMs: 5_000,
  maxWaiters: Number.POSITIVE_INFINITY,
  validateAfterIdleMs: 1_000,
  leakDetectionThresholdMs: 30_000,
  closeTimeoutMs: 10_000,
} as const satisfies Required<PoolOptions>;
