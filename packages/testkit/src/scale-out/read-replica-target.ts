import type { Database, DatabaseOptions, Entity, PoolOptions } from '@berth/core';
import type { Note } from './replica-note.js';

/** How `open` of a `ReadReplicaTarget` is called: which replica, and what to add to the options. */
export interface ReplicaOpenOptions {
  /** The replica's URL, the test database on it (through a `TcpProxy` in the failure cases). */
  readonly replicaUrl: string;
  /** Pool options of the primary (the cases set `acquireTimeoutMs`). */
  readonly pool: PoolOptions;
  /** More database options (`maxReplicaLagMs`). */
  readonly more: Partial<DatabaseOptions>;
}

/** What the shared cases may use inside their `describe` (also given to a backend's own cases). */
export interface ReadReplicaContext {
  /**
   * A database on the primary with the replica configured (`Note` its only entity), closed after the
   * cases. `replicaUrl` defaults to the target's.
   */
  open(options?: Partial<ReplicaOpenOptions>): Promise<Database>;
  /** Stops the replica replaying (PostgreSQL: `pg_wal_replay_pause()`; MariaDB: `STOP SLAVE SQL_THREAD`). */
  pause(): Promise<unknown>;
  /** Lets the replica replay again. */
  resume(): Promise<unknown>;
  /** Waits until the replica has replayed everything the primary has now (`db`: a database on it). */
  caughtUp(db: Database): Promise<void>;
  /** The entity the cases write and read. */
  readonly Note: typeof Note;
}

/**
 * A backend's primary and replica for `runReadReplicaCases`: how to open a routed database on them, make
 * the replica lag on purpose and wait for it, and what differs between backends (positions, tokens, how a
 * server tells which one it is). The cases never wait for time to pass to see a replica is behind: they
 * stop its replay, so a read that goes to it by mistake is caught.
 */
export interface ReadReplicaTarget {
  /** The `describe` title: `postgres read replicas: routing by WAL position`. */
  readonly title: string;
  /** The backend's name in the lines the cases print. */
  readonly label: string;
  /** Why the servers cannot be used (the cases are skipped, see the adapter's check), or `undefined`. */
  readonly unusable: string | undefined;
  /** The replica's URL, the test database on it. */
  readonly replicaUrl: string;
  /** Before the cases, with the servers usable: admin connections, the test database. */
  setup?(): Promise<void>;
  /** After the cases (replay already resumed and every database closed). */
  teardown?(): Promise<void>;
  /** Opens a database on the primary with one replica named `replica` (see `ReadReplicaContext.open`). */
  open(entities: readonly Entity[], options: ReplicaOpenOptions): Promise<Database>;
  /** See `ReadReplicaContext.pause`. */
  pause(): Promise<unknown>;
  /** See `ReadReplicaContext.resume`. */
  resume(): Promise<unknown>;
  /** See `ReadReplicaContext.caughtUp`. */
  caughtUp(db: Database): Promise<void>;
  /**
   * Which server the connection `db.sql` runs on belongs to, as text that differs between the primary and
   * the replica (PostgreSQL: `pg_is_in_recovery()`; MariaDB: `@@server_id`).
   */
  serverOf(db: Database): Promise<string>;
  /**
   * The lag bound the lag case sets, and whether the replica only counts as lagging once there is
   * something to replay (PostgreSQL: the age of the last replayed transaction while WAL waits; MariaDB:
   * `Seconds_Behind_Master` is NULL as soon as the SQL thread stops, so no write is needed).
   */
  readonly lagBound: {
    /** The `maxReplicaLagMs` the lag case opens its database with, in milliseconds. */
    readonly maxReplicaLagMs: number;
    /** Whether the case must write once after stopping replay before the replica counts as lagging. */
    readonly needsUnreplayedWrite: boolean;
  };
  /** The form of the backend's session tokens. */
  readonly tokenPattern: RegExp;
  /** Tokens the backend must refuse with `ValidationError`: malformed, or made on another backend. */
  readonly invalidTokens: readonly string[];
  /**
   * Substrings of the statements that ask the primary and a replica for their positions, and whether the
   * write's own reply carries the primary's (MariaDB's `last_gtid`: the primary is then never asked after
   * a write that logged something).
   */
  readonly positionStatements: {
    /** A substring of the statement that reads the primary's position (`pg_current_wal_lsn`). */
    readonly primary: string;
    /** A substring of the statement that reads a replica's replayed position (`pg_last_wal_replay_lsn`). */
    readonly replica: string;
    /** True where the write's own reply carries the primary's position, so `primary` is never sent after it. */
    readonly inWriteReply: boolean;
  };
  /**
   * Whether the first routed operation of a database checks the primary once on a connection of its own
   * (`ReplicationSupport.verifyPrimary`: MariaDB's binary log).
   */
  readonly verifiesPrimaryOnce: boolean;
  /** The backend's own cases, registered inside the same `describe` after the shared ones. */
  more?(context: ReadReplicaContext): void;
}
