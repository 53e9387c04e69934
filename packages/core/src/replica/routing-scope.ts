import type { DriverConnection } from '../driver/driver-connection.js';
import { BerthError } from '../errors/berth-error.js';
import type { PoolStats } from '../pool/pool-stats.js';
import type { PooledScope } from '../transaction/pooled-scope.js';
import type { Scope } from '../transaction/scope.js';
import type { BeginOptions } from '../transaction/transaction-options.js';
import { type CausalSession, causalSessions } from './causal-session.js';
import type { ReplicaMember, ReplicaMemberStats } from './replica-member.js';
import type { ReplicationSupport } from '../driver/replication-support.js';

/** The routing figures of a database with read replicas (`Database.replicaStats()`). */
export interface ReplicaStats {
  /** The primary's pool. */
  readonly primary: PoolStats;
  /** Each replica's pool and figures. */
  readonly replicas: readonly ReplicaMemberStats[];
  /** Reads the replicas served (a read-only transaction counts as one read). */
  readonly replicaReads: number;
  /** Reads the primary served because no replica had replayed the reader's position yet. */
  readonly primaryReadsLagging: number;
  /**
   * Reads the primary served because the chosen replica failed or none was in rotation (down, or beyond
   * the lag bound).
   */
  readonly primaryReadsUnavailable: number;
  /** Every pool's counts added up. */
  readonly sum: PoolStats;
}

/** Returned by a replica read that found the replica behind the reader. */
const BEHIND = Symbol('behind');
/** Returned by a replica read that found the replica beyond the lag bound. */
const TOO_FAR_BEHIND = Symbol('too far behind');

function addStats(all: readonly PoolStats[]): PoolStats {
  const sum = { max: 0, total: 0, idle: 0, inUse: 0, waiting: 0 };
  for (const s of all) {
    sum.max += s.max;
    sum.total += s.total;
    sum.idle += s.idle;
    sum.inUse += s.inUse;
    sum.waiting += s.waiting;
  }
  return sum;
}

/**
 * The root scope of a database with read replicas. Writes, transactions and everything else run on the
 * primary, and each is followed by reading the primary's position on the same connection, which the writer's causal session
 * keeps (`Database.withSession`), and the database handle's own session too: reads outside any session
 * see every write of the process. Reads that may be served by a
 * replica (`reads`) go to the replica with the least outstanding work that has replayed that position,
 * else to the primary: a read never misses a write its session made or carried in a token.
 */
export class RoutingScope implements Scope {
  readonly inTransaction = false;
  readonly reads: Scope;
  #lagging = 0;
  #unavailable = 0;
  #primaryVerified = false;
  #verifying: Promise<void> | undefined;

  constructor(
    readonly primary: PooledScope,
    readonly replicas: readonly ReplicaMember[],
    readonly replication: ReplicationSupport,
    readonly handleSession: CausalSession,
    /** The lag bound (`DatabaseOptions.maxReplicaLagMs`): a replica further behind leaves the rotation. */
    readonly maxLagMs?: number,
  ) {
    // Nothing to check where the driver has no check: no operation waits for one.
    this.#primaryVerified = replication.verifyPrimary === undefined;
    this.reads = {
      inTransaction: false,
      run: (fn) => this.#read(fn, false),
      runRead: (fn) => this.#read(fn, true),
      transaction: (fn, options) => this.transaction(fn, options),
    };
  }

  /** The reader's session: the ambient one (`withSession`), else the database handle's. */
  get session(): CausalSession {
    return causalSessions.getStore() ?? this.handleSession;
  }

  async run<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    if (!this.#primaryVerified) await this.#verifyPrimary();
    const session = this.session;
    let reported: string | undefined;
    try {
      return await this.primary.run(async (c) => {
        const result = await fn(c);
        reported = await this.#positionOn(c);
        return result;
      });
    } finally {
      // Also after a failure: a write whose outcome is unknown may have happened.
      await this.#recordPosition(session, reported);
    }
  }

  async transaction<T>(fn: (scope: Scope) => Promise<T>, options?: BeginOptions): Promise<T> {
    if (!this.#primaryVerified) await this.#verifyPrimary();
    if (options?.readOnly && options.isolation !== 'serializable')
      return this.#readOnlyTransaction(fn, options);
    const session = this.session;
    let reported: string | undefined;
    try {
      return await this.primary.transaction(fn, options, async (c) => {
        if (!options?.readOnly) reported = await this.#positionOn(c);
      });
    } finally {
      if (!options?.readOnly) await this.#recordPosition(session, reported);
    }
  }

  stats(): ReplicaStats {
    const replicas = this.replicas.map((r) => r.stats());
    const primary = this.primary.pool.stats();
    return {
      primary,
      replicas,
      replicaReads: replicas.reduce((n, r) => n + r.reads, 0),
      primaryReadsLagging: this.#lagging,
      primaryReadsUnavailable: this.#unavailable,
      sum: addStats([primary, ...replicas.map((r) => r.pool)]),
    };
  }

  /**
   * Checks once that the primary can give positions (`ReplicationSupport.verifyPrimary`): until it has
   * answered, every routed operation waits for the check, and a refusal fails it with the driver's typed
   * error. A check that failed is tried again by the next operation.
   */
  async #verifyPrimary(): Promise<void> {
    const verify = this.replication.verifyPrimary;
    if (this.#primaryVerified || verify === undefined) return;
    this.#verifying ??= this.primary
      .run((c) => verify(c))
      .then(
        () => {
          this.#primaryVerified = true;
        },
        (error: unknown) => {
          this.#verifying = undefined;
          throw error;
        },
      );
    await this.#verifying;
  }

  /**
   * The primary's position right after a write succeeded on `connection`, before the connection goes back
   * to the pool: the one the write's own reply reported (MariaDB's `last_gtid`, no round trip), else read
   * with a query on that same connection (PostgreSQL's WAL insert location: the write has committed, so
   * its commit record is at or before it), which saves a checkout of the primary's pool per write.
   * `undefined` when it cannot be read there (the connection failed): `#recordPosition` then asks on
   * another connection. Never throws: the write has happened.
   */
  async #positionOn(connection: DriverConnection): Promise<string | undefined> {
    try {
      return (
        this.replication.positionAfterWrite?.(connection) ??
        (await this.replication.primaryPosition(connection))
      );
    } catch {
      return undefined;
    }
  }

  /**
   * Moves `session` to the primary's position after a write: the one read on the write's own connection
   * (`reported`, see `#positionOn`), else the one read from the primary on a connection of its own (the
   * write failed, or its connection did). When it cannot be read (the primary went away), the session
   * reads from the primary until a later write records a position again: never a stale replica.
   */
  async #recordPosition(session: CausalSession, reported: string | undefined): Promise<void> {
    try {
      const position = reported ?? (await this.primary.run((c) => this.replication.primaryPosition(c)));
      session.advance(position);
      // The handle's own session follows every write of the process, so reads outside sessions see them.
      if (session !== this.handleSession) this.handleSession.advance(position);
    } catch {
      session.pinToPrimary();
      if (session !== this.handleSession) this.handleSession.pinToPrimary();
    }
  }

  /**
   * A read (`reads`): on the replica in rotation with the least outstanding work when it may serve the
   * reader's session, else on the primary. `shared`: `fn` reads only (`Scope.runRead`), so it may share a
   * connection where the pool pipelines. Not an async function: the common read (nothing to ask the
   * replica) costs the pool's own promises and one reaction, as a read without replicas costs the pool's.
   */
  #read<T>(fn: (connection: DriverConnection) => Promise<T>, shared: boolean): Promise<T> {
    if (!this.#primaryVerified) return this.#verifyPrimary().then(() => this.#read(fn, shared));
    const session = this.session;
    const replica = session.pinnedToPrimary ? undefined : this.#choose();
    if (replica === undefined) {
      if (!session.pinnedToPrimary) this.#unavailable += 1;
      return this.#onPrimary(fn, shared);
    }
    const required = session.position;
    // Most reads have nothing to ask (no position, no lag measure due, or a position the replica is
    // known to cover, which it cannot un-replay): `fn` runs on the replica's pool as it would on the
    // primary's, with no closure or result wrapper per read.
    if (this.#mustAsk(replica, required)) return this.#readAsking(replica, required, fn, shared);
    return (shared ? replica.scope.runRead(fn) : replica.scope.run(fn)).then(
      (value) => {
        replica.markServed();
        return value;
      },
      (error: unknown) => this.#fallBack(replica, error, fn, shared),
    );
  }

  /** A read the primary serves (no replica may, or the chosen one failed). */
  #onPrimary<T>(fn: (connection: DriverConnection) => Promise<T>, shared: boolean): Promise<T> {
    return shared ? this.primary.runRead(fn) : this.primary.run(fn);
  }

  /**
   * A read whose replica failed: a replica that is down, failing or slow (a retryable error) never fails a
   * read the primary can serve; it leaves the rotation and the primary serves. Any other error is the read's.
   */
  #fallBack<T>(
    replica: ReplicaMember,
    error: unknown,
    fn: (connection: DriverConnection) => Promise<T>,
    shared: boolean,
  ): Promise<T> {
    if (!(BerthError.is(error) && error.retryable)) throw error;
    replica.markFailed();
    this.#unavailable += 1;
    return this.#onPrimary(fn, shared);
  }

  /** A read that first asks the replica something (`#ready`) on the connection it then reads on. */
  async #readAsking<T>(
    replica: ReplicaMember,
    required: string | undefined,
    fn: (connection: DriverConnection) => Promise<T>,
    shared: boolean,
  ): Promise<T> {
    let result: typeof BEHIND | typeof TOO_FAR_BEHIND | { value: T };
    try {
      result = await replica.scope.run(async (c) => {
        const verdict = await this.#ready(replica, c, required);
        return verdict ?? { value: await fn(c) };
      });
    } catch (error) {
      return this.#fallBack(replica, error, fn, shared);
    }
    if (result === BEHIND) this.#lagging += 1;
    else if (result === TOO_FAR_BEHIND) this.#unavailable += 1;
    else {
      replica.markServed();
      return result.value;
    }
    return this.#onPrimary(fn, shared);
  }

  /** Whether `#ready` has anything to ask the replica before it serves a reader at `required`. */
  #mustAsk(replica: ReplicaMember, required: string | undefined): boolean {
    return (
      (this.maxLagMs !== undefined && replica.lagCheckDue) ||
      (required !== undefined && !replica.covers(required))
    );
  }

  /**
   * On a connection to `replica`, before it serves a reader at `required`: measures its lag when a lag
   * bound is set and a measure is due, then makes sure it has replayed `required` (asking only when what
   * it is known to have replayed is not enough). `undefined` when it may serve.
   */
  async #ready(
    replica: ReplicaMember,
    connection: DriverConnection,
    required: string | undefined,
  ): Promise<typeof BEHIND | typeof TOO_FAR_BEHIND | undefined> {
    const maxLagMs = this.maxLagMs;
    if (maxLagMs !== undefined && replica.lagCheckDue) {
      replica.noteLag(await this.replication.replicaLagMs!(connection), maxLagMs);
      if (replica.beyondLagBound) return TOO_FAR_BEHIND;
    }
    if (required !== undefined && !replica.covers(required)) {
      replica.noteReplayed(await this.replication.replayedPosition(connection));
      if (!replica.covers(required)) return BEHIND;
    }
    return undefined;
  }

  /**
   * A read-only transaction goes where a read would: to the least busy replica that has replayed the
   * session's position, else to the primary (counted as a read of either). It checks the position first,
   * then begins on the replica; the transaction's snapshot is taken after, so it holds the position. A
   * replica that fails with a retryable error (down, lost, silent) leaves the rotation and the transaction
   * runs again on the primary, `fn` included, as a `retry` attempt would: nothing was written, and a
   * replica's failure never fails a read the primary can serve. SERIALIZABLE stays on the primary:
   * PostgreSQL's standbys refuse it, and on MariaDB its shared locks would hold up the replica's applier.
   */
  async #readOnlyTransaction<T>(fn: (scope: Scope) => Promise<T>, options: BeginOptions): Promise<T> {
    const session = this.session;
    const replica = session.pinnedToPrimary ? undefined : this.#choose();
    if (replica === undefined) {
      if (!session.pinnedToPrimary) this.#unavailable += 1;
      return this.primary.transaction(fn, options);
    }
    const required = session.position;
    try {
      const verdict = this.#mustAsk(replica, required)
        ? await replica.scope.run((c) => this.#ready(replica, c, required))
        : undefined;
      if (verdict === undefined) {
        const result = await replica.scope.transaction(fn, options);
        replica.markServed();
        return result;
      }
      if (verdict === BEHIND) this.#lagging += 1;
      else this.#unavailable += 1;
    } catch (error) {
      if (!(BerthError.is(error) && error.retryable)) throw error;
      replica.markFailed();
      this.#unavailable += 1;
    }
    return this.primary.transaction(fn, options);
  }

  /** The replica in rotation with the least outstanding work (the first of equals). */
  #choose(): ReplicaMember | undefined {
    let best: ReplicaMember | undefined;
    let bestOutstanding = 0;
    for (const replica of this.replicas) {
      if (!replica.available || replica.heldBackForLag) continue;
      if (best === undefined) {
        best = replica;
        // With one replica in rotation there is nothing to compare: its pool's stats are not read.
        if (this.replicas.length > 1) bestOutstanding = replica.outstanding;
        continue;
      }
      const outstanding = replica.outstanding;
      if (outstanding < bestOutstanding) {
        best = replica;
        bestOutstanding = outstanding;
      }
    }
    return best;
  }
}
