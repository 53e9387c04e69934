import type { PoolStats } from './pool-stats.js';

/** Events a pool emits, with their payloads. Listeners run synchronously and must not throw. */
export interface PoolEvents {
  /** A connection was handed to a caller after waiting `waitedMs`. */
  acquire: {
    /** The connection's id, as in the other events. */
    connectionId: string;
    /** Milliseconds the caller waited, validation included. */
    waitedMs: number;
  };
  /** A caller gave a connection back after holding it `heldMs`; `destroyed` when it was discarded. */
  release: {
    /** The connection's id. */
    connectionId: string;
    /** Milliseconds between its acquire and this release. */
    heldMs: number;
    /** Whether it was closed instead of kept: asked for, broken, or its rollback on release failed. */
    destroyed: boolean;
  };
  /** A physical connection was opened. */
  create: {
    /** The new connection's id. */
    connectionId: string;
  };
  /** A physical connection was closed; `reason` says why. */
  destroy: {
    /** The closed connection's id. */
    connectionId: string;
    /** Why it was closed, in the words of the driver or the pool. */
    reason: string;
  };
  /** A caller gave up waiting at the acquire deadline (or was refused because too many were waiting). */
  timeout: {
    /** Milliseconds the caller waited before giving up (0 when refused at once). */
    waitedMs: number;
    /** The pool at that moment: a full pool says "too small or work too slow". */
    stats: PoolStats;
  };
  /**
   * A connection has been held past the leak threshold. `stack` is where it was acquired when
   * `stackCaptured` (see `PoolOptions.leakStackCapture`), else a note saying it was not sampled.
   */
  leak: {
    /** The held connection's id. */
    connectionId: string;
    /** Milliseconds it has been held so far. */
    heldMs: number;
    /** Where it was acquired, or a note that this acquire's stack was not sampled. */
    stack: string;
    /** Whether `stack` is the acquirer's stack. */
    stackCaptured: boolean;
  };
  /** An error outside any caller's operation (for example an idle connection dropped by the server). */
  error: {
    /** What failed: an idle connection the driver saw break, or a validation ping (connection destroyed). */
    error: Error;
  };
}

/** The name of a pool event, for `pool.on(name, listener)`. */
export type PoolEventName = keyof PoolEvents;
/** A listener for the pool event `K`, called with that event's payload. */
export type PoolListener<K extends PoolEventName> = (event: PoolEvents[K]) => void;
