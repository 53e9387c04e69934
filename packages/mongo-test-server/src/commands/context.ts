import type { Document, ObjectId } from 'bson';
import type { SessionRegistry } from '../sessions/session-registry.js';
import type { TransactionManager } from '../sessions/transaction-manager.js';
import type { StorageView } from '../storage/storage-view.js';
import type { Storage } from '../storage/storage.js';
import type { CursorRegistry } from './cursor-registry.js';

/** Replica-set identity advertised by `hello`. */
export interface TopologyInfo {
  /** The replica set name; undefined for a standalone server. */
  readonly setName: string | undefined;
  /** `host:port` the server advertises as `me`/`primary`/`hosts`. */
  readonly address: string;
  readonly processId: ObjectId;
  readonly electionId: ObjectId;
  readonly startedAt: Date;
}

/** Connection counters reported by `serverStatus`. */
export interface ConnectionStats {
  readonly current: number;
  readonly totalCreated: number;
  readonly active: number;
}

/** Server-wide state shared by all command handlers. */
export interface ServerContext {
  readonly storage: Storage;
  readonly transactions: TransactionManager;
  readonly sessions: SessionRegistry;
  readonly cursors: CursorRegistry;
  topology(): TopologyInfo;
  connectionStats(): ConnectionStats;
}

/** Everything one command invocation needs. */
export interface CommandContext {
  readonly server: ServerContext;
  /** Command name as sent (first key of the command document). */
  readonly name: string;
  readonly command: Document;
  readonly db: string;
  /** Committed data, or the transaction's snapshot when the command runs in a transaction. */
  readonly view: StorageView;
  readonly connectionId: number;
  /** Canonical key of the command's `lsid`, if any. */
  readonly sessionKey: string | undefined;
}

/**
 * A command implementation; throwing a CommandError produces an `ok: 0` reply. Handlers are
 * synchronous on purpose: each command is then atomic with respect to every other connection.
 */
export type CommandHandler = (ctx: CommandContext) => Document;
