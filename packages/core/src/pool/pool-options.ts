import { ValidationError } from '../errors/validation-error.js';
import { checkDuration } from '../options/duration.js';

/** With `leakStackCapture: 'sampled'`, one acquire in this many captures its stack (see `PoolOptions`). */
export const LEAK_STACK_SAMPLE_EVERY = 32;

/**
 * The pool contract's knobs. Every default is safe: nothing waits forever. Every duration is in
 * milliseconds, at most 2^31 − 1 (Node's timer limit); `new Pool` refuses others with `ValidationError`.
 */
export interface PoolOptions {
  /** Longest a caller waits for a connection before `PoolTimeoutError` (default 5 000 ms; at least 1). */
  acquireTimeoutMs?: number;
  /** Most callers allowed to wait at once; one more fails at once with `PoolTimeoutError` (default unbounded). */
  maxWaiters?: number;
  /**
   * A connection idle for longer than this is pinged before it is handed out (default 1 000 ms; 0 pings
   * every reused connection).
   */
  validateAfterIdleMs?: number;
  /**
   * Longest that ping may take (default 1 000 ms; at least 1), and never past the caller's acquire deadline.
   * It protects against a peer gone silent (a NAT or firewall that dropped the flow, a failover behind a
   * virtual IP): no FIN or RST ever arrives, so without a bound the ping would hold the caller, and its
   * pool slot, until the acquire deadline, call after call. A connection whose ping fails or outlasts this
   * is destroyed at once (its dead socket is not waited on), the error is recorded as
   * `lastConnectionError` and emitted as `error`, and the caller gets another connection within its
   * deadline. After a ping that timed out, every connection that was already idle when it started is
   * presumed dead too and replaced without a ping of its own (as a MongoDB driver clears its pool), so one
   * caller meets at most one such timeout however many dead connections sit idle.
   */
  validationTimeoutMs?: number;
  /**
   * A connection held for longer than this fires a `leak` event carrying the acquirer's stack, and is logged
   * with `console.warn` when nobody listens (default 30 000 ms; 0 disables). Every held connection is
   * watched whatever `leakStackCapture` says; that option only decides whose stack is captured.
   */
  leakDetectionThresholdMs?: number;
  /**
   * Which acquires capture the acquirer's stack for a leak report (default `'sampled'`). Capturing a stack
   * costs several microseconds, as much as the rest of a pooled call, so by default one acquire in
   * `LEAK_STACK_SAMPLE_EVERY` (32; the pool's first among them) captures it, and once the pool has
   * reported a leak, every acquire does: code that leaks once usually leaks again, and its next report
   * names it. A leak of an acquire that was not sampled is still reported, with `stackCaptured: false`.
   * `'always'` captures on every acquire from the start (for tests, or while hunting a leak).
   */
  leakStackCapture?: 'sampled' | 'always';
  /** How long `close()` waits for work in flight before ending the pool anyway (default 10 000 ms; 0 waits not at all). */
  closeTimeoutMs?: number;
}

/** The pool contract's defaults, for the options left unset. */
export const POOL_DEFAULTS = {
  /** Milliseconds a caller waits for a connection (see `PoolOptions.acquireTimeoutMs`). */
  acquireTimeoutMs: 5_000,
  /** Callers allowed to wait at once: unbounded (see `PoolOptions.maxWaiters`). */
  maxWaiters: Number.POSITIVE_INFINITY,
  /** Milliseconds idle after which a connection is pinged before reuse (see `PoolOptions`). */
  validateAfterIdleMs: 1_000,
  /** Milliseconds that ping may take (see `PoolOptions.validationTimeoutMs`). */
  validationTimeoutMs: 1_000,
  /** Milliseconds a connection may be held before a `leak` event (see `PoolOptions`). */
  leakDetectionThresholdMs: 30_000,
  /** Which acquires capture their stack for a leak report (see `PoolOptions.leakStackCapture`). */
  leakStackCapture: 'sampled',
  /** Milliseconds `close()` waits for work in flight (see `PoolOptions.closeTimeoutMs`). */
  closeTimeoutMs: 10_000,
} as const satisfies Required<PoolOptions>;

/**
 * Checks every duration of the pool's options (see `checkDuration`): `acquireTimeoutMs` and
 * `validationTimeoutMs` at least 1 ms; `validateAfterIdleMs`, `leakDetectionThresholdMs` and
 * `closeTimeoutMs` at least 0. Throws `ValidationError` naming the option.
 */
export function checkPoolOptions(options: PoolOptions): void {
  const capture = options.leakStackCapture;
  if (capture !== undefined && capture !== 'sampled' && capture !== 'always') {
    throw new ValidationError(`leakStackCapture must be 'sampled' or 'always', not ${String(capture)}`, [
      { field: 'leakStackCapture', message: 'invalid' },
    ]);
  }
  checkDuration('acquireTimeoutMs', options.acquireTimeoutMs, { min: 1 });
  checkDuration('validateAfterIdleMs', options.validateAfterIdleMs);
  checkDuration('validationTimeoutMs', options.validationTimeoutMs, { min: 1 });
  checkDuration('leakDetectionThresholdMs', options.leakDetectionThresholdMs);
  checkDuration('closeTimeoutMs', options.closeTimeoutMs);
}
