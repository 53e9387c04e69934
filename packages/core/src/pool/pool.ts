// The module's own binding: the global `performance` is a lazy getter in Node, a JS call on every read,
// and the pool reads the clock on every acquire and release.
import { performance } from 'node:perf_hooks';
import { asError, withTimeout } from '../async/with-timeout.js';
import type { Driver } from '../driver/driver.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import type { QueryObserver } from '../events/query-event.js';
import { ConnectionLostError } from '../errors/connection-lost-error.js';
import { ConnectionReleasedTwiceError } from '../errors/connection-released-twice-error.js';
import { PoolClosedError } from '../errors/pool-closed-error.js';
import { PoolTimeoutError } from '../errors/pool-timeout-error.js';
import { DeadlineTimer, type ScheduledDeadline } from './deadline-timer.js';
import type { Lease } from './lease.js';
import type { PoolEventName, PoolEvents, PoolListener } from './pool-events.js';
import { checkDuration } from '../options/duration.js';
import {
  checkPoolOptions,
  LEAK_STACK_SAMPLE_EVERY,
  POOL_DEFAULTS,
  type PoolOptions,
} from './pool-options.js';
import type { PoolStats } from './pool-stats.js';

interface Waiter {
  /**
   * Called with the shared lease the waiter joins, with the lease of a connection handed straight over to
   * it (see `Pool.release`), or with nothing when it is given a permit and must take a connection itself.
   */
  resolve(granted?: SharedLease | Lease): void;
  reject(error: Error): void;
  deadline: ScheduledDeadline | undefined;
  /** A caller of `runShared`, which may join a shared lease instead of taking a permit. */
  shared: boolean;
  /** When the waiter called, for the `acquire` event of a lease handed over to it. */
  started: number;
  /** The waiter's stack, when its acquire sampled it, for the leak report of a lease handed over to it. */
  origin: Error | undefined;
}

/** Whether a waiter was granted a shared lease to join rather than a lease of its own. */
function isSharedLease(granted: SharedLease | Lease): granted is SharedLease {
  return 'users' in granted;
}

/** What `release` answers when it handed the connection over at once (one settled promise, shared). */
const HANDED_OVER: Promise<void> = Promise.resolve();

/** A lease whose connection several callers' reads share at once (see `Pool.runShared`). */
interface SharedLease {
  readonly lease: Lease;
  /** Callers whose reads run on it now. */
  users: number;
  /** False once it takes no more callers: its connection broke, or a caller waits for a permit. */
  open: boolean;
}

/** How long a dirty connection may take to roll back on release before it is destroyed instead. */
const RELEASE_ROLLBACK_TIMEOUT_MS = 2_000;

/**
 * berth's pool contract, enforced in front of a driver's native pool so every backend behaves alike:
 *
 * - **Bounded**: at most `max` connections are checked out of the driver at once (the driver's own queue
 *   is never used), so callers wait in berth's queue, first come first served.
 * - **Acquire deadline**: a caller waits at most `acquireTimeoutMs` in all (queueing, connecting,
 *   validating), then gets `PoolTimeoutError` carrying `stats()` and the last connection error. A
 *   connection that arrives after its caller gave up goes straight back to the driver.
 * - **Bounded waiters**: past `maxWaiters`, a caller fails at once instead of queueing.
 * - **Validation**: a connection idle for longer than `validateAfterIdleMs` is pinged before it is handed
 *   out, for at most `validationTimeoutMs`; a dead or silent one is destroyed at once and another is tried,
 *   within the same deadline (see `PoolOptions.validationTimeoutMs`).
 * - **Clean release**: a connection given back mid-transaction is rolled back, or destroyed when that
 *   fails; a broken connection is destroyed; releasing twice throws.
 * - **Leak detection**: a connection held past `leakDetectionThresholdMs` fires `leak`, with the stack of
 *   the code that acquired it where that was captured (every acquire, or a sample until the first leak:
 *   see `PoolOptions.leakStackCapture`).
 * - **Drain**: `close()` refuses new work at once, lets work in flight finish up to `closeTimeoutMs`, then
 *   closes the driver.
 * - **Pipelining** (drivers with a `pipelineDepth` above 1 only): `runShared` lets up to that many
 *   autocommit reads share one leased connection once every connection is in use, in the same FIFO
 *   queue and under the same deadline as `acquire`; see `runShared`.
 */
export class Pool {
  readonly #driver: Driver;
  readonly #options: Required<PoolOptions>;
  readonly #waiters: Waiter[] = [];
  readonly #leases = new Set<Lease>();
  readonly #releasedAt = new WeakMap<DriverConnection, number>();
  readonly #listeners = new Map<PoolEventName, Set<(event: never) => void>>();
  #available: number;
  #closing = false;
  #closed: Promise<void> | undefined;
  #drained: (() => void) | undefined;
  #lastConnectionError: Error | undefined;
  #leakSweep: NodeJS.Timeout | undefined;
  readonly #deadlines = new DeadlineTimer();
  /** Idle connections released before this time are presumed dead (see `#validate`). */
  #staleBefore = Number.NEGATIVE_INFINITY;
  readonly #queries: QueryObserver | undefined;
  /** Acquires until the next one that captures its stack for leak reports (0: this one). */
  #untilStackSample = 0;
  /** Every acquire captures its stack: `leakStackCapture: 'always'`, or since this pool reported a leak. */
  #captureEveryStack: boolean;
  /** How many reads may share one connection (`Driver.pipelineDepth`; 1: none). */
  readonly #pipelineDepth: number;
  /** `Driver.pipelineFill` is `'pack'`: a read joins a shared connection with room before taking a free one. */
  readonly #pack: boolean;
  /** The leases `runShared` callers share now. */
  readonly #shared: SharedLease[] = [];
  /** Shared leases being opened (their connection not yet there): with `#pack`, readers wait for them. */
  #opening = 0;

  /** Throws `ValidationError` naming the option for a duration that is not finite, negative or past 2^31 − 1 ms. */
  constructor(driver: Driver, options: PoolOptions = {}, queries?: QueryObserver) {
    checkPoolOptions(options);
    this.#driver = driver;
    this.#queries = queries;
    this.#options = { ...POOL_DEFAULTS, ...stripUndefined(options) };
    this.#available = driver.max;
    this.#captureEveryStack = this.#options.leakStackCapture === 'always';
    const depth = driver.pipelineDepth ?? 1;
    this.#pipelineDepth = Number.isInteger(depth) && depth > 1 ? depth : 1;
    this.#pack = driver.pipelineFill === 'pack';
  }

  /** Opens the driver and routes its native events into this pool's events. */
  async open(): Promise<void> {
    await this.#driver.open({
      onCreate: (connectionId) => this.#emit('create', { connectionId }),
      onDestroy: (connectionId, reason) => this.#emit('destroy', { connectionId, reason }),
      onError: (error) => {
        this.#lastConnectionError = error;
        this.#emit('error', { error });
      },
      queries: this.#queries,
    });
  }

  /** The pool's state now. */
  stats(): PoolStats {
    const native = this.#driver.nativeStats();
    return {
      max: this.#driver.max,
      total: native.total,
      idle: native.idle,
      inUse: this.#leases.size,
      waiting: this.#waiters.length,
    };
  }

  /** How long `acquire` waits in all before `PoolTimeoutError`; also what bounds a commit's resolution. */
  get acquireTimeoutMs(): number {
    return this.#options.acquireTimeoutMs;
  }

  /** The last error met while connecting or seen on an idle connection, if any. */
  get lastConnectionError(): Error | undefined {
    return this.#lastConnectionError;
  }

  /** True once `close()` has been called (while it drains too): every later `acquire` is refused. */
  get closed(): boolean {
    return this.#closing;
  }

  /** Listens to the pool event `name` (`acquire`, `release`, `create`, `destroy`, `timeout`, ...). */
  on<K extends PoolEventName>(name: K, listener: PoolListener<K>): this {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as (event: never) => void);
    return this;
  }

  /** Stops the `listener` that `on(name, listener)` added. */
  off<K extends PoolEventName>(name: K, listener: PoolListener<K>): this {
    this.#listeners.get(name)?.delete(listener as (event: never) => void);
    return this;
  }

  /** Whether `name` has a listener: the per-call events are not even built when nobody listens. */
  #listening(name: PoolEventName): boolean {
    const set = this.#listeners.get(name);
    return set !== undefined && set.size > 0;
  }

  #emit<K extends PoolEventName>(name: K, event: PoolEvents[K]): boolean {
    const set = this.#listeners.get(name);
    if (!set || set.size === 0) return false;
    for (const listener of set) {
      try {
        (listener as PoolListener<K>)(event);
      } catch {
        // A listener's bug must not break the pool or the caller's operation.
      }
    }
    return true;
  }

  /**
   * Checks a connection out. Prefer `Database` methods, which release for you; a caller of `acquire` must
   * call `release` exactly once, in a `finally`. `timeoutMs` replaces the acquire deadline for this one call
   * (default `acquireTimeoutMs`): `connect()` gives its first connection as long as opening one may take.
   */
  acquire(timeoutMs?: number): Promise<Lease> {
    if (this.#closing) return Promise.reject(new PoolClosedError());
    const started = performance.now();
    const deadline = started + (timeoutMs ?? this.#options.acquireTimeoutMs);
    // Captured here, in the caller's synchronous stack: a later step runs in a promise callback, whose
    // stack no longer names the code that asked for the connection.
    const origin = this.#sampleStack() ? acquiredHere() : undefined;
    // The fast path (a free slot, nobody queued) takes the permit without a promise of its own. This path
    // is on every statement outside a transaction, so it is written with as few promises as it can: under
    // the promise hooks AsyncLocalStorage turns on, each one costs a hook call, and an `await` one more.
    if (this.#available > 0 && this.#waiters.length === 0) {
      this.#available--;
      // `started` is still now: no clock read more (each is a call into Node's C++ side).
      return this.#leaseWithPermit(started, deadline, origin, started);
    }
    // A non-shared waiter is granted either a lease handed straight over or a permit (nothing).
    return this.#waitForPermit(started, deadline, false, origin).then(
      (granted) => (granted as Lease | undefined) ?? this.#leaseWithPermit(started, deadline, origin),
    );
  }

  /**
   * Opens (or reuses and validates) a connection for a caller that holds a permit, and leases it, within the
   * deadline. `now` is a clock reading the caller has just taken, if any. A connection the driver hands out
   * that needs no validation (the common case) is leased in the step that answers the race itself: one
   * clock read for the validation check and the lease, no promise of its own; any other goes through `#check`.
   */
  #leaseWithPermit(
    started: number,
    deadline: number,
    origin: Error | undefined,
    now = performance.now(),
  ): Promise<Lease> {
    if (deadline - now <= 0)
      return Promise.reject(this.#acquireFailed(new LateArrival(this.#timeout(started), false)));
    return this.#raceDeadline(
      this.#driver.acquire(),
      deadline,
      started,
      this.#returnLate,
      (connection): Lease | Promise<Lease> => {
        const arrived = performance.now();
        if (this.#ready(connection, arrived)) return this.#lease(connection, started, origin, arrived);
        return this.#check(connection, started, deadline).then(
          (checked) => this.#lease(checked, started, origin),
          (error: unknown) => {
            throw this.#acquireFailed(error);
          },
        );
      },
      this.#acquireFailed,
    );
  }

  /**
   * What a caller whose acquire failed is rejected with: a late arrival's `PoolTimeoutError`, or the error
   * itself. The permit goes back at once, except a late arrival's, freed when the driver's work settles.
   */
  readonly #acquireFailed = (error: unknown): Error => {
    if (!(error instanceof LateArrival && error.permitHeld)) this.#givePermit();
    return error instanceof LateArrival ? error.timeout : asError(error);
  };

  #lease(
    connection: DriverConnection,
    started: number,
    origin: Error | undefined,
    now = performance.now(),
  ): Lease {
    const lease: Lease = {
      connection,
      acquiredAt: now,
      inTransaction: false,
      released: false,
      origin,
      leakReported: false,
    };
    this.#track(lease);
    if (this.#listening('acquire'))
      this.#emit('acquire', { connectionId: connection.id, waitedMs: lease.acquiredAt - started });
    return lease;
  }

  #timeout(started: number, reason?: string): PoolTimeoutError {
    const waitedMs = Math.round(performance.now() - started);
    const stats = this.stats();
    this.#emit('timeout', { waitedMs, stats });
    return new PoolTimeoutError(waitedMs, stats, this.#lastConnectionError, reason);
  }

  /**
   * Whether this acquire captures the acquirer's stack for a leak report (see `PoolOptions.leakStackCapture`).
   * The caller captures it as an Error object, not its text: V8 formats the text only when it is read; and
   * in its own frame, so the stack's few frames go to the code that called it.
   */
  #sampleStack(): boolean {
    if (this.#options.leakDetectionThresholdMs <= 0) return false;
    if (this.#captureEveryStack) return true;
    if (this.#untilStackSample > 0) {
      this.#untilStackSample--;
      return false;
    }
    this.#untilStackSample = LEAK_STACK_SAMPLE_EVERY - 1;
    return true;
  }

  /**
   * Queues for a permit when none is free (or others already wait), within the acquire deadline. A
   * `shared` waiter may be answered instead with a shared lease it has joined.
   */
  #waitForPermit(
    started: number,
    deadline: number,
    shared: boolean,
    origin: Error | undefined,
  ): Promise<SharedLease | Lease | undefined> {
    if (this.#waiters.length >= this.#options.maxWaiters) {
      return Promise.reject(this.#timeout(started, `too many callers waiting (${this.#waiters.length})`));
    }
    return new Promise<SharedLease | Lease | undefined>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, deadline: undefined, shared, started, origin };
      waiter.deadline = this.#deadlines.schedule(deadline, () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(this.#timeout(started));
      });
      this.#waiters.push(waiter);
    });
  }

  /** Hands a freed slot to the oldest waiter, or back to the pool. */
  #givePermit(): void {
    const next = this.#waiters.shift();
    if (next) {
      next.deadline?.cancel();
      next.resolve();
      this.#serveQueuedReaders();
    } else {
      this.#available++;
    }
    this.#checkDrained();
  }

  /** Readers queued behind a caller just served may share a connection that has room. */
  #serveQueuedReaders(): void {
    while (this.#waiters[0]?.shared) {
      const joinable = this.#leastBusyShared();
      if (!joinable) break;
      this.#handSlot(joinable);
    }
  }

  /**
   * Runs `fn`, one or more autocommit reads that leave no session state behind (no transaction, no lock,
   * no `SET`), on a connection it may share with other callers' reads: the driver sends them without
   * waiting for the answers before them (pipelining, `Driver.pipelineDepth`). Without pipelining it is
   * `acquire`, `fn`, `release`.
   *
   * - A caller takes a connection of its own while one is free and nobody waits; only when every
   *   connection is in use does it join the shared lease with the fewest callers, up to the depth. With
   *   `Driver.pipelineFill: 'pack'` it joins a shared lease with room first, and opens another connection
   *   only when every shared one is full.
   * - Otherwise it waits in the one FIFO queue `acquire` uses, under the same acquire deadline: a slot
   *   freed on a shared lease goes to the oldest waiter if that one is a `runShared` caller; if the oldest
   *   waits for a whole connection (a transaction), the shared lease takes no one more, drains, and its
   *   connection goes to that waiter, so reads cannot starve transactions.
   * - A shared lease is released once its last caller is done; a broken one takes no one more and is
   *   destroyed then. `stats().inUse` counts connections, not callers; `acquire` and `release` events
   *   fire per connection. Leak detection watches the connection from its last caller's arrival.
   */
  async runShared<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    if (this.#pipelineDepth === 1) {
      const lease = await this.acquire();
      try {
        return await fn(lease.connection);
      } finally {
        await this.release(lease);
      }
    }
    const shared = await this.#joinShared();
    try {
      return await fn(shared.lease.connection);
    } finally {
      // The last caller out waits for the release, as `acquire`'s callers do: stats are right on return.
      const released = this.#leaveShared(shared);
      if (released) await released;
    }
  }

  async #joinShared(): Promise<SharedLease> {
    if (this.#closing) throw new PoolClosedError();
    // Before the first `await`, while the stack still names the caller (see `acquire`).
    const origin = this.#sampleStack() ? acquiredHere() : undefined;
    const started = performance.now();
    const deadline = started + this.#options.acquireTimeoutMs;
    const packed = this.#pack && this.#waiters.length === 0 ? this.#leastBusyShared() : undefined;
    if (packed) return this.#enter(packed);
    // Packing: a connection on its way will take this reader; opening another would spread them.
    const waitForOpening = this.#pack && this.#opening > 0;
    if (this.#available > 0 && this.#waiters.length === 0 && !waitForOpening) {
      this.#available--;
    } else {
      const joinable = this.#waiters.length === 0 ? this.#leastBusyShared() : undefined;
      if (joinable) return this.#enter(joinable);
      const granted = await this.#waitForPermit(started, deadline, true, origin);
      if (granted) {
        if (isSharedLease(granted)) return granted;
        return this.#openShared(granted);
      }
    }
    this.#opening++;
    let lease: Lease;
    try {
      lease = await this.#leaseWithPermit(started, deadline, origin);
    } finally {
      this.#opening--;
    }
    return this.#openShared(lease);
  }

  /** Makes a caller's new lease a shared one that readers queued behind it may join. */
  #openShared(lease: Lease): SharedLease {
    const shared: SharedLease = { lease, users: 1, open: true };
    this.#shared.push(shared);
    // Readers queued behind this one may share the new connection at once.
    while (shared.users < this.#pipelineDepth && this.#waiters[0]?.shared) this.#handSlot(shared);
    // Packing queues callers while permits are free (readers wait for a connection being opened): the
    // oldest the new connection had no room for takes a permit now; readers behind it wait for its connection.
    if (this.#available > 0 && this.#waiters.length > 0 && this.#opening === 0) {
      this.#available--;
      const next = this.#waiters.shift()!;
      next.deadline?.cancel();
      next.resolve();
    }
    return shared;
  }

  /** The open shared lease with the fewest callers and room for one more, if any. */
  #leastBusyShared(): SharedLease | undefined {
    let best: SharedLease | undefined;
    for (const shared of this.#shared) {
      if (!shared.open || shared.users >= this.#pipelineDepth) continue;
      if (shared.lease.connection.broken) {
        shared.open = false;
        continue;
      }
      if (!best || shared.users < best.users) best = shared;
    }
    return best;
  }

  #enter(shared: SharedLease): SharedLease {
    shared.users++;
    // Leak detection measures a shared lease from its latest caller: under steady load one connection may
    // serve reads for longer than the threshold without any caller holding it that long.
    (shared.lease as { acquiredAt: number }).acquiredAt = performance.now();
    return shared;
  }

  /** Gives the oldest waiter, a `runShared` caller, a slot on `shared`. */
  #handSlot(shared: SharedLease): void {
    const waiter = this.#waiters.shift()!;
    waiter.deadline?.cancel();
    waiter.resolve(this.#enter(shared));
  }

  /** A caller is done with `shared`: its slot goes to the oldest waiter, or the lease is released. */
  #leaveShared(shared: SharedLease): Promise<void> | undefined {
    shared.users--;
    if (shared.open && shared.lease.connection.broken) shared.open = false;
    if (shared.open && !this.#closing) {
      const oldest = this.#waiters[0];
      if (oldest?.shared) {
        this.#handSlot(shared);
        return undefined;
      }
      // Someone waits for a whole connection: this one drains to it.
      if (oldest) shared.open = false;
    }
    if (shared.users > 0) return undefined;
    this.#shared.splice(this.#shared.indexOf(shared), 1);
    return this.release(shared.lease).catch(() => undefined);
  }

  /** A connection that arrived after its caller gave up goes back to the driver. */
  readonly #returnLate = async (
    late: { ok: true; value: DriverConnection } | { ok: false; error: unknown },
  ) => {
    if (late.ok) await this.#driver.release(late.value, false);
  };

  /**
   * Whether `connection` may be handed out as it is: new, or idle for no longer than `validateAfterIdleMs`
   * at `now`.
   */
  #ready(connection: DriverConnection, now: number): boolean {
    const idleSince = this.#releasedAt.get(connection);
    if (idleSince === undefined) return true;
    return idleSince >= this.#staleBefore && now - idleSince <= this.#options.validateAfterIdleMs;
  }

  /** Validates (or evicts) `connection`, and takes another from the driver until one is good or the deadline. */
  async #check(connection: DriverConnection, started: number, deadline: number): Promise<DriverConnection> {
    for (;;) {
      const idleSince = this.#releasedAt.get(connection);
      if (idleSince === undefined) return connection;
      if (idleSince < this.#staleBefore) {
        // Idle since before a validation ping went unanswered: presumed dead like that one, not pinged.
        this.#evict(connection);
      } else {
        if (performance.now() - idleSince <= this.#options.validateAfterIdleMs) return connection;
        const outcome = await this.#validate(connection, deadline);
        if (outcome === 'valid') return connection;
        if (outcome === 'deadline') throw new LateArrival(this.#timeout(started), false);
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw new LateArrival(this.#timeout(started), false);
      connection = await this.#raceDeadline(this.#driver.acquire(), deadline, started, this.#returnLate);
    }
  }

  /**
   * Pings a connection that sat idle, for at most `validationTimeoutMs` and never past the deadline. A
   * connection whose ping fails or does not answer in time is evicted at once: its ping is abandoned, not
   * awaited, since a silent peer may never answer (no FIN, no RST). A ping that used its whole
   * `validationTimeoutMs` marks every connection idle since before it began as presumed dead too.
   */
  async #validate(connection: DriverConnection, deadline: number): Promise<'valid' | 'retry' | 'deadline'> {
    const pingStarted = performance.now();
    const boundMs = Math.max(0, Math.min(this.#options.validationTimeoutMs, deadline - pingStarted));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      connection.ping(boundMs).then(
        () => undefined,
        (error: unknown) => asError(error),
      ),
      new Promise<'silent'>((resolve) => {
        timer = setTimeout(() => resolve('silent'), boundMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === undefined) return 'valid';
    const cutByDeadline = boundMs < this.#options.validationTimeoutMs;
    if (outcome === 'silent' && !cutByDeadline) this.#staleBefore = Math.max(this.#staleBefore, pingStarted);
    const error =
      outcome === 'silent'
        ? new ConnectionLostError(
            `connection ${connection.id} did not answer its validation ping within ${Math.round(boundMs)} ms; it was destroyed`,
          )
        : outcome;
    this.#lastConnectionError = error;
    this.#emit('error', { error });
    this.#evict(connection);
    return outcome === 'silent' && cutByDeadline ? 'deadline' : 'retry';
  }

  /**
   * Destroys a connection that is not handed out, without waiting: every driver drops it from its native
   * pool before its first `await`, so the slot is free at once, and closing a dead socket may never finish.
   */
  #evict(connection: DriverConnection): void {
    this.#releasedAt.delete(connection);
    this.#driver.release(connection, true).catch(() => undefined);
  }

  /**
   * Races driver work against the deadline (a `performance.now()` time). On timeout the caller is answered
   * at once with a `LateArrival`; the permit stays taken until the work settles, so the driver never holds
   * more than `max` connections. Then `onLate` cleans up (for example returns a connection that came too
   * late) and the permit is freed. `then`, when given, maps a value that came in time, and `fail` the
   * error the caller is rejected with, in the same step (so the common case costs no promise more).
   */
  #raceDeadline<T, U = T>(
    work: Promise<T>,
    deadline: number,
    started: number,
    onLate: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => Promise<void>,
    then?: (value: T) => U | Promise<U>,
    fail?: (error: unknown) => Error,
  ): Promise<U> {
    return new Promise<U>((resolve, reject) => {
      let late = false;
      const scheduled = this.#deadlines.schedule(deadline, () => {
        late = true;
        const error = new LateArrival(this.#timeout(started), true);
        reject(fail ? fail(error) : error);
        work
          .then(
            (value) => onLate({ ok: true, value }),
            (error) => {
              this.#lastConnectionError = asError(error);
              return onLate({ ok: false, error });
            },
          )
          .catch(() => undefined)
          .finally(() => this.#givePermit());
      });
      work.then(
        (value) => {
          if (late) return;
          scheduled.cancel();
          if (!then) {
            resolve(value as unknown as U);
            return;
          }
          try {
            resolve(then(value));
          } catch (error) {
            reject(fail ? fail(error) : error);
          }
        },
        (error) => {
          if (late) return;
          scheduled.cancel();
          const cause = asError(error);
          if (cause instanceof ConnectionLostError) this.#lastConnectionError = cause;
          reject(fail ? fail(cause) : cause);
        },
      );
    });
  }

  #track(lease: Lease): void {
    this.#leases.add(lease);
    const threshold = this.#options.leakDetectionThresholdMs;
    if (threshold > 0 && !this.#leakSweep) {
      // One sweep for all leases instead of a timer per acquire; it reports a leak at most a quarter of
      // the threshold late, and never keeps the process alive.
      this.#leakSweep = setInterval(
        () => this.#sweepLeaks(threshold),
        Math.min(1_000, Math.max(5, threshold / 4)),
      );
      this.#leakSweep.unref();
    }
  }

  #sweepLeaks(threshold: number): void {
    const now = performance.now();
    for (const lease of this.#leases) {
      const heldMs = now - lease.acquiredAt;
      if (lease.leakReported || heldMs < threshold) continue;
      lease.leakReported = true;
      // This pool leaks: from now on every acquire captures its stack, so the next report names the code.
      this.#captureEveryStack = true;
      const event = {
        connectionId: lease.connection.id,
        heldMs: Math.round(heldMs),
        stack: lease.origin?.stack ?? UNSAMPLED_STACK,
        stackCaptured: lease.origin !== undefined,
      };
      if (!this.#emit('leak', event)) {
        console.warn(
          `berth: connection ${event.connectionId} held for ${event.heldMs} ms, possible leak\n${event.stack}`,
        );
      }
    }
  }

  /**
   * Gives a connection back. With `destroy`, or when the connection is broken, it is discarded. A lease
   * still inside a transaction is rolled back first, and destroyed if that fails. Releasing twice throws.
   */
  release(lease: Lease, destroy = false): Promise<void> {
    if (lease.released) return Promise.reject(new ConnectionReleasedTwiceError());
    lease.released = true;
    const { connection } = lease;
    if (destroy || connection.broken || lease.inTransaction) return this.#releaseDirty(lease, destroy);
    if (this.#waiters.length > 0 && this.#handOver(lease)) return HANDED_OVER;
    // The common case, a healthy connection outside a transaction, without an async function's promises.
    let released: Promise<void>;
    try {
      released = this.#driver.release(connection, false);
    } catch (error) {
      this.#released(lease, false);
      return Promise.reject(error);
    }
    return released.then(
      () => this.#released(lease, false),
      (error: unknown) => {
        this.#released(lease, false);
        throw error;
      },
    );
  }

  /**
   * Gives a clean connection straight to the oldest waiter, as the native pool would if it queued: the
   * connection never goes back to the driver and out again (no native release and acquire, no validation:
   * it was in use a moment ago), and the waiter is answered in one step. The permit goes with it. Only
   * where the driver agrees (`Driver.handOver`): a connection the native pool would retire on its return
   * goes back through `release`, and the waiter is given the permit instead.
   */
  #handOver(lease: Lease): boolean {
    const { connection } = lease;
    let agreed = false;
    try {
      agreed = this.#driver.handOver?.(connection) === true;
    } catch {
      // A driver's bug: the connection takes the ordinary way back.
    }
    if (!agreed) return false;
    const waiter = this.#waiters.shift()!;
    waiter.deadline?.cancel();
    this.#leases.delete(lease);
    if (this.#listening('release')) {
      this.#emit('release', {
        connectionId: connection.id,
        heldMs: performance.now() - lease.acquiredAt,
        destroyed: false,
      });
    }
    waiter.resolve(this.#lease(connection, waiter.started, waiter.origin));
    this.#serveQueuedReaders();
    return true;
  }

  async #releaseDirty(lease: Lease, destroy: boolean): Promise<void> {
    const { connection } = lease;
    let discard = destroy || connection.broken;
    if (!discard && lease.inTransaction) {
      try {
        await withTimeout(connection.rollback(), RELEASE_ROLLBACK_TIMEOUT_MS);
        lease.inTransaction = false;
      } catch {
        discard = true;
      }
    }
    discard ||= connection.broken;
    try {
      await this.#driver.release(connection, discard);
    } finally {
      this.#released(lease, discard);
    }
  }

  /** The driver has the connection back (or has destroyed it): the lease ends and its permit is free. */
  #released(lease: Lease, discarded: boolean): void {
    const { connection } = lease;
    if (discarded) this.#releasedAt.delete(connection);
    else this.#releasedAt.set(connection, performance.now());
    this.#leases.delete(lease);
    if (this.#listening('release')) {
      this.#emit('release', {
        connectionId: connection.id,
        heldMs: performance.now() - lease.acquiredAt,
        destroyed: discarded,
      });
    }
    this.#givePermit();
  }

  #checkDrained(): void {
    if (this.#drained && this.#leases.size === 0 && this.#available === this.#driver.max) this.#drained();
  }

  /**
   * Stops admitting work (new and queued callers get `PoolClosedError`), waits for connections in use
   * to come back, at most `closeTimeoutMs` (or `timeoutMs`), then closes the driver. Idempotent. Rejects
   * with `ValidationError` for a `timeoutMs` that is not a duration (see `checkDuration`).
   */
  close(timeoutMs = this.#options.closeTimeoutMs): Promise<void> {
    if (this.#closed) return this.#closed;
    try {
      checkDuration('timeoutMs', timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#closing = true;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.deadline?.cancel();
      waiter.reject(new PoolClosedError());
    }
    this.#closed = (async () => {
      if (this.#leases.size > 0 || this.#available < this.#driver.max) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          this.#drained = resolve;
          timer = setTimeout(resolve, timeoutMs);
        });
        clearTimeout(timer);
      }
      if (this.#leakSweep) clearInterval(this.#leakSweep);
      this.#deadlines.clear();
      await this.#driver.close();
    })();
    return this.#closed;
  }
}

/**
 * The acquirer's stack, taken in `acquire`'s synchronous frame: deep enough to get past berth's own frames
 * (a transaction's acquire is ten calls below the code that started it) to the code that asked.
 */
function acquiredHere(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, ACQUIRER_STACK_FRAMES);
  try {
    return new Error('connection acquired here');
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** How many frames an acquirer's stack keeps (at least). */
const ACQUIRER_STACK_FRAMES = 40;

/** The `stack` of a leak report for an acquire whose stack was not sampled. */
const UNSAMPLED_STACK =
  `(the acquirer's stack was not captured: leak detection samples one acquire in ${LEAK_STACK_SAMPLE_EVERY}; ` +
  "every acquire of this pool captures it from now on; set the pool's leakStackCapture to 'always' to " +
  'capture every acquire from the start)';

/** Internal: the deadline passed while the driver was still working; the permit is freed later. */
class LateArrival extends Error {
  constructor(
    readonly timeout: PoolTimeoutError,
    readonly permitHeld: boolean,
  ) {
    super(timeout.message);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
