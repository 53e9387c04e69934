import type { PoolStats } from './pool-stats.js';

/** Events a pool emits, with their payloads. Listeners run synchronously and must not throw. */
export interface PoolEvents {
  /** A connection was handed to a caller after waiting `waitedMs`. */
  acquire: { connectionId: string; waitedMs: number };
  /** A caller gave a connection back after holding it `heldMs`; `destroyed` when it was discarded. */
  release: { connectionId: string; heldMs: number; destroyed: boolean };
  /** A physical connection was opened. */
  create: { connectionId: string };
  /** A physical connection was closed; `reason` says why. */
  destroy: { connectionId: string; reason: string };
  /** A caller gave up waiting at the acquire deadline (or was refused because too many were waiting). */
  timeout: { waitedMs: number; stats: PoolStats };
  /**
   * A connection has been held past the leak threshold. `stack` is where it was acquired when
   * `stackCaptured` (see `PoolOptions.leakStackCapture`), else a note saying it was not sampled.
   */
  leak: { connectionId: string; heldMs: number; stack: string; stackCaptured: boolean };
  /** An error outside any caller's operation (for example an idle connection dropped by the server). */
  error: { error: Error };
}

/** The name of a pool event, for `pool.on(name, listener)`. */
export type PoolEventName = keyof PoolEvents;
/** A listener for the pool event `K`, called with that event's payload. */
export type PoolListener<K extends PoolEventName> = (event: PoolEvents[K]) => void;
