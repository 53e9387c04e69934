import type { CausalReadSupport } from '../driver/causal-read-support.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import type { PooledScope } from '../transaction/pooled-scope.js';
import type { Scope } from '../transaction/scope.js';
import type { BeginOptions } from '../transaction/transaction-options.js';
import { type CausalSession, causalSessions } from './causal-session.js';

/**
 * The root scope of a database whose driver routes reads itself (`Driver.causalReads`: a MongoDB replica
 * set or sharded cluster). Every operation runs on the one pool; berth tells the connection the reader's
 * position and whether the operation may be served by a secondary (`reads`: yes; everything else, writes,
 * transactions and units of work included: no), and keeps the position the replies reported in the
 * reader's causal session (`Database.withSession`) and in the database handle's own.
 */
export class DriverRoutedScope implements Scope {
  readonly inTransaction = false;
  readonly reads: Scope;

  constructor(
    readonly primary: PooledScope,
    readonly causal: CausalReadSupport,
    readonly handleSession: CausalSession,
  ) {
    this.reads = {
      inTransaction: false,
      run: (fn) => this.#use(fn, true),
      transaction: (fn, options) => this.transaction(fn, options),
    };
  }

  /** The reader's session: the ambient one (`withSession`), else the database handle's. */
  get session(): CausalSession {
    return causalSessions.getStore() ?? this.handleSession;
  }

  run<T>(fn: (connection: DriverConnection) => Promise<T>): Promise<T> {
    return this.#use(fn, false);
  }

  /** A transaction runs on the primary (MongoDB's transactions read from it), at the reader's position. */
  transaction<T>(fn: (scope: Scope) => Promise<T>, options?: BeginOptions): Promise<T> {
    const session = this.session;
    return this.primary.transaction(fn, options, undefined, {
      beforeBegin: (c) => this.causal.beginUse(c, session.position, false),
      beforeRelease: (c) => this.#record(session, this.causal.endUse(c)),
    });
  }

  #use<T>(fn: (connection: DriverConnection) => Promise<T>, routable: boolean): Promise<T> {
    const session = this.session;
    return this.primary.run(async (c) => {
      this.causal.beginUse(c, session.position, routable);
      try {
        return await fn(c);
      } finally {
        this.#record(session, this.causal.endUse(c));
      }
    });
  }

  /** Keeps a reported position in the reader's session and the handle's (so reads outside sessions see it). */
  #record(session: CausalSession, position: string | undefined): void {
    if (position === undefined) return;
    session.advance(position);
    if (session !== this.handleSession) this.handleSession.advance(position);
  }
}
