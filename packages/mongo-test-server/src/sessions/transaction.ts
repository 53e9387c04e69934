import type { Collection } from '../storage/collection.js';

/** A transaction's private copy of one collection plus the `_id`s it wrote. */
export interface Shadow {
  readonly collection: Collection;
  /** Whether the collection existed (committed) when the snapshot was taken. */
  readonly existed: boolean;
  /** The global write sequence at snapshot time; later committed writes to our ids are conflicts. */
  readonly snapshotSeq: number;
  readonly writes: Set<string>;
}

/** Lifecycle of a multi-document transaction. */
export type TransactionState = 'open' | 'committed' | 'aborted';

/**
 * A multi-document transaction of one logical session. Reads and writes go to lazily taken
 * per-collection snapshots ({@link Shadow}s); nothing is visible to others until commit.
 */
export class Transaction {
  readonly sessionKey: string;
  readonly txnNumber: number;
  state: TransactionState = 'open';
  lastActivity = Date.now();
  readonly shadows = new Map<string, Shadow>();
  /** Lock keys (`ns|idKey`) held by this transaction. */
  readonly locks = new Set<string>();

  constructor(sessionKey: string, txnNumber: number) {
    this.sessionKey = sessionKey;
    this.txnNumber = txnNumber;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  touch(): void {
    this.lastActivity = Date.now();
  }
}
