import type { Database } from '@berth/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConformanceTarget } from '../conformance-target.js';
import { TcpProxy } from '../faults/tcp-proxy.js';
import { runConformanceSuite } from '../run-conformance-suite.js';

/**
 * A SQL backend with a real replica of its primary for `runReplicaConformanceSuite`: the raw views of
 * the conformance target (they look at the primary, where every write lands), and how to open a database
 * whose primary is reached through the suite's fault proxy and whose replica directly.
 */
export interface ReplicaConformanceTarget {
  /** As `ConformanceTarget.serverConnections`, on the primary. */
  serverConnections(): Promise<number>;
  /** As `ConformanceTarget.openTransactions`, on the primary. */
  openTransactions(): Promise<number>;
  /** As `ConformanceTarget.killConnection`, on the primary. */
  killConnection(connectionId: string): Promise<void>;
  /** As `ConformanceTarget.readRaw`, on the primary. */
  readRaw(table: string): Promise<Record<string, unknown>[]>;
  /** The backend's name in titles: `postgres with a read replica`. */
  readonly name: string;
  /** The backend's name in the routing line the suite prints. */
  readonly label: string;
  /** Why the primary and replica cannot be used (the suite is skipped, see the adapter's check), or `undefined`. */
  readonly unusable: string | undefined;
  /** The primary's address: the fault proxy forwards to it. */
  readonly primary: {
    /** The primary's host name or address. */
    readonly host: string;
    /** The primary's TCP port. */
    readonly port: number;
  };
  /** The request whose reply `dropNextCommitReply('lone-insert')` loses (a lone INSERT on the wire). */
  readonly loneInsert: RegExp;
  /** Before the suite, with the servers usable (the test database, on the primary). */
  setup?(): Promise<void>;
  /** After the suite. */
  teardown?(): Promise<void>;
  /**
   * Opens a database as `ConformanceTarget.open` does, its primary at 127.0.0.1:`proxyPort` (the fault
   * proxy) and one replica named `replica`.
   */
  open(options: Parameters<ConformanceTarget['open']>[0] & { readonly proxyPort: number }): Promise<Database>;
}

/**
 * Registers the whole conformance suite once more with a real replica configured (PostgreSQL streaming
 * replication, MariaDB GTID replication): every database the suite opens routes its reads by position, so
 * each capability is proven to route right (writes, transactions, locking reads and units of work on the
 * primary; reads on the replica once it has replayed the reader's writes). The suite's raw read-back and
 * server counts look at the primary. Afterwards the routing figures of every handle prove reads did go to
 * the replica.
 *
 * Not run here, with the reason: the silent-peer eviction (`openThroughProxy`): it silences the primary's
 * connections and expects the next read to meet them, but that read is served by the replica, which is not
 * behind the proxy (the replicas' own failure handling is in `runReadReplicaCases` and the adapters'
 * own cases); and the groups that count statements and acquisitions exactly (pool, pool faults, relations,
 * query events): a read after a write the replica is not yet known to hold asks it how far it has replayed
 * with a statement of its own, the primary's position is read after a write its reply does not carry it
 * for (PostgreSQL: every write), and MariaDB checks the primary's binary log once, so the counts are off
 * by those, more or less depending on how far replay is behind (they run on the plain suites).
 */
export function runReplicaConformanceSuite(target: ReplicaConformanceTarget): void {
  if (target.unusable !== undefined) {
    describe(`berth conformance: ${target.name}`, () => {
      it.skip(`SKIPPED: the primary and replica are unusable (${target.unusable})`, () => undefined);
    });
    return;
  }
  const opened: Database[] = [];
  let proxy: TcpProxy | undefined;

  runConformanceSuite({
    name: target.name,
    async setup() {
      await target.setup?.();
      proxy = await TcpProxy.start(target.primary);
    },
    async open(options) {
      const db = await target.open({ ...options, proxyPort: proxy!.port });
      opened.push(db);
      return db;
    },
    async teardown() {
      await proxy?.stop();
      await target.teardown?.();
    },
    async dropNextCommitReply(what) {
      void proxy!.dropNextReply(what === 'transaction' ? /COMMIT/ : target.loneInsert);
    },
    readReplicas: { positionChecksCounted: true },
    serverConnections: () => target.serverConnections(),
    openTransactions: () => target.openTransactions(),
    killConnection: (connectionId) => target.killConnection(connectionId),
    readRaw: (table) => target.readRaw(table),
  });

  describe(`berth conformance: ${target.name}: routing`, () => {
    afterAll(() => {
      opened.length = 0;
    });
    it('the replica served reads during the suite, and the primary served the reads that had to wait', () => {
      const stats = opened.map((db) => db.replicaStats()!);
      const replicaReads = stats.reduce((n, s) => n + s.replicaReads, 0);
      const lagging = stats.reduce((n, s) => n + s.primaryReadsLagging, 0);
      console.info(
        `replica conformance (${target.label}): ${opened.length} handles, ${replicaReads} reads served by the replica, ${lagging} by the primary while the replica caught up`,
      );
      expect(opened.length).toBeGreaterThan(0);
      expect(replicaReads).toBeGreaterThan(0);
    });
  });
}
